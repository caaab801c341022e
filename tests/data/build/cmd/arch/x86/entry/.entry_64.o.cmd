savedcmd_arch/x86/entry/entry_64.o := ccache gcc -Wp,-MMD,arch/x86/entry/.entry_64.o.d -nostdinc -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include -I./arch/x86/include/generated -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include -I./include -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi -I./arch/x86/include/generated/uapi -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi -I./include/generated/uapi -include /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler-version.h -include /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kconfig.h -D__KERNEL__ -fmacro-prefix-map=/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/= -D__ASSEMBLY__ -fno-PIE -m64 -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/entry -Iarch/x86/entry    -DKBUILD_MODFILE='"arch/x86/entry/entry_64"' -DKBUILD_MODNAME='"entry_64"' -D__KBUILD_MODNAME=kmod_entry_64 -c -o arch/x86/entry/entry_64.o /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/entry/entry_64.S  ; ./tools/objtool/objtool --hacks=jump_label --hacks=noinstr --orc --static-call --uaccess   arch/x86/entry/entry_64.o

source_arch/x86/entry/entry_64.o := ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/entry/entry_64.S

deps_arch/x86/entry/entry_64.o := \
    $(wildcard include/config/STACKPROTECTOR) \
    $(wildcard include/config/X86_FRED) \
    $(wildcard include/config/DEBUG_ENTRY) \
    $(wildcard include/config/X86_L1_CACHE_SHIFT) \
    $(wildcard include/config/AMD_MEM_ENCRYPT) \
    $(wildcard include/config/XEN_PV) \
    $(wildcard include/config/MITIGATION_PAGE_TABLE_ISOLATION) \
    $(wildcard include/config/X86_ESPFIX64) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler-version.h \
    $(wildcard include/config/CC_VERSION_TEXT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kconfig.h \
    $(wildcard include/config/CPU_BIG_ENDIAN) \
    $(wildcard include/config/BOOGER) \
    $(wildcard include/config/FOO) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/export.h \
    $(wildcard include/config/MODVERSIONS) \
    $(wildcard include/config/64BIT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler.h \
    $(wildcard include/config/TRACE_BRANCH_PROFILING) \
    $(wildcard include/config/PROFILE_ALL_BRANCHES) \
    $(wildcard include/config/OBJTOOL) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler_types.h \
    $(wildcard include/config/DEBUG_INFO_BTF) \
    $(wildcard include/config/PAHOLE_HAS_BTF_TAG) \
    $(wildcard include/config/FUNCTION_ALIGNMENT) \
    $(wildcard include/config/CC_HAS_SANE_FUNCTION_ALIGNMENT) \
    $(wildcard include/config/X86_64) \
    $(wildcard include/config/ARM64) \
    $(wildcard include/config/LD_DEAD_CODE_DATA_ELIMINATION) \
    $(wildcard include/config/LTO_CLANG) \
    $(wildcard include/config/HAVE_ARCH_COMPILER_H) \
    $(wildcard include/config/KCSAN) \
    $(wildcard include/config/CC_HAS_COUNTED_BY) \
    $(wildcard include/config/UBSAN_SIGNED_WRAP) \
    $(wildcard include/config/CC_HAS_ASM_INLINE) \
  arch/x86/include/generated/asm/rwonce.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/rwonce.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/linkage.h \
    $(wildcard include/config/ARCH_USE_SYM_ANNOTATIONS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/stringify.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/linkage.h \
    $(wildcard include/config/X86_32) \
    $(wildcard include/config/CALL_PADDING) \
    $(wildcard include/config/MITIGATION_RETHUNK) \
    $(wildcard include/config/MITIGATION_RETPOLINE) \
    $(wildcard include/config/MITIGATION_SLS) \
    $(wildcard include/config/FUNCTION_PADDING_BYTES) \
    $(wildcard include/config/UML) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/ibt.h \
    $(wildcard include/config/X86_KERNEL_IBT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/types.h \
    $(wildcard include/config/HAVE_UID16) \
    $(wildcard include/config/UID16) \
    $(wildcard include/config/ARCH_DMA_ADDR_T_64BIT) \
    $(wildcard include/config/PHYS_ADDR_T_64BIT) \
    $(wildcard include/config/ARCH_32BIT_USTAT_F_TINODE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/types.h \
  arch/x86/include/generated/uapi/asm/types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/int-ll64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/int-ll64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/bitsperlong.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitsperlong.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/bitsperlong.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/segment.h \
    $(wildcard include/config/SMP) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/const.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/const.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/const.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/alternative.h \
    $(wildcard include/config/CALL_THUNKS) \
    $(wildcard include/config/MITIGATION_ITS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/asm.h \
    $(wildcard include/config/KPROBES) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/extable_fixup_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/bug.h \
    $(wildcard include/config/GENERIC_BUG) \
    $(wildcard include/config/DEBUG_BUGVERBOSE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/instrumentation.h \
    $(wildcard include/config/NOINSTR_VALIDATION) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/objtool.h \
    $(wildcard include/config/FRAME_POINTER) \
    $(wildcard include/config/MITIGATION_UNRET_ENTRY) \
    $(wildcard include/config/MITIGATION_SRSO) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/objtool_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bug.h \
    $(wildcard include/config/BUG) \
    $(wildcard include/config/GENERIC_BUG_RELATIVE_POINTERS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/once_lite.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cache.h \
    $(wildcard include/config/X86_INTERNODE_CACHE_SHIFT) \
    $(wildcard include/config/X86_VSMP) \
  arch/x86/include/generated/uapi/asm/errno.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/errno.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/errno-base.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/asm-offsets.h \
  include/generated/asm-offsets.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/msr.h \
    $(wildcard include/config/TRACEPOINTS) \
    $(wildcard include/config/PARAVIRT_XXL) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/msr-index.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/bits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/bits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/bits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/unistd.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/unistd.h \
  arch/x86/include/generated/uapi/asm/unistd_64.h \
  arch/x86/include/generated/asm/unistd_64_x32.h \
  arch/x86/include/generated/asm/unistd_32_ia32.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/thread_info.h \
    $(wildcard include/config/VM86) \
    $(wildcard include/config/X86_IOPL_IOPERM) \
    $(wildcard include/config/COMPAT) \
    $(wildcard include/config/IA32_EMULATION) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/page.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/page_types.h \
    $(wildcard include/config/PAGE_SHIFT) \
    $(wildcard include/config/PHYSICAL_START) \
    $(wildcard include/config/PHYSICAL_ALIGN) \
    $(wildcard include/config/DYNAMIC_PHYSICAL_MASK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mem_encrypt.h \
    $(wildcard include/config/ARCH_HAS_MEM_ENCRYPT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/page_64_types.h \
    $(wildcard include/config/KASAN) \
    $(wildcard include/config/DYNAMIC_MEMORY_LAYOUT) \
    $(wildcard include/config/X86_5LEVEL) \
    $(wildcard include/config/RANDOMIZE_BASE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/page_64.h \
    $(wildcard include/config/DEBUG_VIRTUAL) \
    $(wildcard include/config/X86_VSYSCALL_EMULATION) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/memory_model.h \
    $(wildcard include/config/FLATMEM) \
    $(wildcard include/config/SPARSEMEM_VMEMMAP) \
    $(wildcard include/config/SPARSEMEM) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/pfn.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/getorder.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/percpu.h \
    $(wildcard include/config/X86_64_SMP) \
    $(wildcard include/config/CC_HAS_NAMED_AS) \
    $(wildcard include/config/USE_X86_SEG_SUPPORT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/hw_irq.h \
    $(wildcard include/config/IRQ_DOMAIN_HIERARCHY) \
    $(wildcard include/config/X86_LOCAL_APIC) \
    $(wildcard include/config/TRACING) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/irq_vectors.h \
    $(wildcard include/config/HYPERV) \
    $(wildcard include/config/X86_IO_APIC) \
    $(wildcard include/config/PCI_MSI) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/threads.h \
    $(wildcard include/config/NR_CPUS) \
    $(wildcard include/config/BASE_SMALL) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/irqflags.h \
    $(wildcard include/config/PARAVIRT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/processor-flags.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/processor-flags.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/paravirt.h \
    $(wildcard include/config/PARAVIRT_SPINLOCKS) \
    $(wildcard include/config/PGTABLE_LEVELS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/paravirt_types.h \
    $(wildcard include/config/ZERO_CALL_USED_REGS) \
    $(wildcard include/config/PARAVIRT_DEBUG) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pgtable_types.h \
    $(wildcard include/config/X86_INTEL_MEMORY_PROTECTION_KEYS) \
    $(wildcard include/config/X86_PAE) \
    $(wildcard include/config/MEM_SOFT_DIRTY) \
    $(wildcard include/config/HAVE_ARCH_USERFAULTFD_WP) \
    $(wildcard include/config/PROC_FS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pgtable_64_types.h \
    $(wildcard include/config/RANDOMIZE_MEMORY) \
    $(wildcard include/config/KMSAN) \
    $(wildcard include/config/DEBUG_KMAP_LOCAL_FORCE_MAP) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/sparsemem.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/nospec-branch.h \
    $(wildcard include/config/CALL_THUNKS_DEBUG) \
    $(wildcard include/config/MITIGATION_CALL_DEPTH_TRACKING) \
    $(wildcard include/config/MITIGATION_IBPB_ENTRY) \
    $(wildcard include/config/BPF_JIT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/static_key.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/jump_label.h \
    $(wildcard include/config/JUMP_LABEL) \
    $(wildcard include/config/HAVE_ARCH_JUMP_LABEL_RELATIVE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cpufeatures.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/required-features.h \
    $(wildcard include/config/X86_MINIMUM_CPU_FAMILY) \
    $(wildcard include/config/MATH_EMULATION) \
    $(wildcard include/config/X86_CMPXCHG64) \
    $(wildcard include/config/X86_CMOV) \
    $(wildcard include/config/X86_P6_NOP) \
    $(wildcard include/config/MATOM) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/disabled-features.h \
    $(wildcard include/config/X86_UMIP) \
    $(wildcard include/config/ADDRESS_MASKING) \
    $(wildcard include/config/INTEL_IOMMU_SVM) \
    $(wildcard include/config/X86_SGX) \
    $(wildcard include/config/INTEL_TDX_GUEST) \
    $(wildcard include/config/X86_USER_SHADOW_STACK) \
    $(wildcard include/config/KVM_AMD_SEV) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/unwind_hints.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/orc_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/current.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/build_bug.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/smap.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/nops.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/frame.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/trapnr.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/fsgsbase.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/err.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/entry/calling.h \
    $(wildcard include/config/MITIGATION_IBRS_ENTRY) \
    $(wildcard include/config/GCC_PLUGIN_STACKLEAK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/ptrace-abi.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/idtentry.h \
    $(wildcard include/config/X86_MCE) \
    $(wildcard include/config/KVM_INTEL) \
    $(wildcard include/config/X86_CET) \
    $(wildcard include/config/X86_MCE_THRESHOLD) \
    $(wildcard include/config/X86_MCE_AMD) \
    $(wildcard include/config/X86_THERMAL_VECTOR) \
    $(wildcard include/config/IRQ_WORK) \
    $(wildcard include/config/KVM) \
    $(wildcard include/config/X86_POSTED_MSI) \
    $(wildcard include/config/ACRN_GUEST) \
    $(wildcard include/config/XEN_PVHVM) \
    $(wildcard include/config/KVM_GUEST) \

arch/x86/entry/entry_64.o: $(deps_arch/x86/entry/entry_64.o)

$(deps_arch/x86/entry/entry_64.o):

arch/x86/entry/entry_64.o: $(wildcard ./tools/objtool/objtool)
