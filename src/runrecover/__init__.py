"""runrecover: a command-line recovery tracker for injured runners."""

__version__ = "0.1.0"
