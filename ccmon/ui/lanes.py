"""The ALO action board's lanes, in order: the board pane's columns, the wallboard's tiles."""

LANES = ("created", "assigned", "doing", "closed", "canceled")
