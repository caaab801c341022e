"""kwb — the guestmem workbench: apply, build, boot and test a kernel patch series."""

__version__ = "0.1.0"
