"""The five panes: agents, queues, service level, recent contacts, ALO action board."""
