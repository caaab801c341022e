"""VM: boot a built kernel under QEMU (backends, accelerator probe, initramfs), drive its console,
run the selftests in the guest (session) and turn that into results (the boot-and-test stage)."""
