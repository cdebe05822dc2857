"""Settings: defaults < config file < profile < environment < command-line flags."""
