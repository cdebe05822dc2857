"""Errors that end a command with a one-line message (exit code 1), never a traceback."""


class ConfigError(Exception):
    """Wrong configuration or usage: the message says what is wrong and what to do."""
