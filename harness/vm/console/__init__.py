"""The guest console: the pexpect driver (``driver``), kernel splat detection (``splat``), the
backend's process tree and signals (``proctree``) and the console log (``log``)."""
