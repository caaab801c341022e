"""The guest console: one pexpect driver for every backend (``driver``)."""
