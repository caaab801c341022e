savedcmd_mm/guestmem.o := ccache gcc -Wp,-MMD,mm/.guestmem.o.d -nostdinc -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include -I./arch/x86/include/generated -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include -I./include -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi -I./arch/x86/include/generated/uapi -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi -I./include/generated/uapi -include /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler-version.h -include /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kconfig.h -include /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler_types.h -D__KERNEL__ -fmacro-prefix-map=/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/= -std=gnu11 -fshort-wchar -funsigned-char -fno-common -fno-PIE -fno-strict-aliasing -mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx -fcf-protection=none -m64 -falign-jumps=1 -falign-loops=1 -mno-80387 -mno-fp-ret-in-387 -mpreferred-stack-boundary=3 -mskip-rax-setup -mtune=generic -mno-red-zone -mcmodel=kernel -Wno-sign-compare -fno-asynchronous-unwind-tables -fno-delete-null-pointer-checks -O2 -fno-allow-store-data-races -fno-stack-protector -fomit-frame-pointer -ftrivial-auto-var-init=zero -fno-stack-clash-protection -falign-functions=16 -fno-strict-overflow -fno-stack-check -fconserve-stack -fno-builtin-wcslen -fno-builtin-wcslen -Wall -Wextra -Wundef -Werror=implicit-function-declaration -Werror=implicit-int -Werror=return-type -Werror=strict-prototypes -Wno-format-security -Wno-trigraphs -Wno-frame-address -Wno-address-of-packed-member -Wmissing-declarations -Wmissing-prototypes -Wframe-larger-than=2048 -Wno-main -Wno-dangling-pointer -Wvla -Wno-pointer-sign -Wcast-function-type -Wno-array-bounds -Wno-stringop-overflow -Wno-alloc-size-larger-than -Wimplicit-fallthrough=5 -Werror=date-time -Werror=incompatible-pointer-types -Werror=designated-init -Wenum-conversion -Wunused -Wno-unused-but-set-variable -Wno-unused-const-variable -Wno-packed-not-aligned -Wno-format-overflow -Wno-format-truncation -Wno-stringop-truncation -Wno-override-init -Wno-missing-field-initializers -Wno-type-limits -Wno-shift-negative-value -Wno-maybe-uninitialized -Wno-sign-compare -Wno-unused-parameter -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/mm -Imm    -DKBUILD_MODFILE='"mm/guestmem"' -DKBUILD_BASENAME='"guestmem"' -DKBUILD_MODNAME='"guestmem"' -D__KBUILD_MODNAME=kmod_guestmem -c -o mm/guestmem.o /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/mm/guestmem.c   ; ./tools/objtool/objtool --hacks=jump_label --hacks=noinstr --orc --static-call --uaccess   mm/guestmem.o

source_mm/guestmem.o := ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/mm/guestmem.c

deps_mm/guestmem.o := \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler-version.h \
    $(wildcard include/config/CC_VERSION_TEXT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kconfig.h \
    $(wildcard include/config/CPU_BIG_ENDIAN) \
    $(wildcard include/config/BOOGER) \
    $(wildcard include/config/FOO) \
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
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler-context-analysis.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler_attributes.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler-gcc.h \
    $(wildcard include/config/MITIGATION_RETPOLINE) \
    $(wildcard include/config/ARCH_USE_BUILTIN_BSWAP) \
    $(wildcard include/config/SHADOW_CALL_STACK) \
    $(wildcard include/config/KCOV) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/guestmem.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/list.h \
    $(wildcard include/config/LIST_HARDENED) \
    $(wildcard include/config/DEBUG_LIST) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/container_of.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/build_bug.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler.h \
    $(wildcard include/config/TRACE_BRANCH_PROFILING) \
    $(wildcard include/config/PROFILE_ALL_BRANCHES) \
    $(wildcard include/config/OBJTOOL) \
    $(wildcard include/config/64BIT) \
  arch/x86/include/generated/asm/rwonce.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/rwonce.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kasan-checks.h \
    $(wildcard include/config/KASAN_GENERIC) \
    $(wildcard include/config/KASAN_SW_TAGS) \
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
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/posix_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/stddef.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/stddef.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/posix_types.h \
    $(wildcard include/config/X86_32) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/posix_types_64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/posix_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kcsan-checks.h \
    $(wildcard include/config/KCSAN_WEAK_MEMORY) \
    $(wildcard include/config/KCSAN_IGNORE_ATOMICS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/poison.h \
    $(wildcard include/config/ILLEGAL_POINTER_VALUE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/const.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/const.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/const.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/barrier.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/alternative.h \
    $(wildcard include/config/SMP) \
    $(wildcard include/config/CALL_THUNKS) \
    $(wildcard include/config/MITIGATION_ITS) \
    $(wildcard include/config/MITIGATION_RETHUNK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/stringify.h \
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
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/panic.h \
    $(wildcard include/config/PANIC_TIMEOUT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/printk.h \
    $(wildcard include/config/MESSAGE_LOGLEVEL_DEFAULT) \
    $(wildcard include/config/CONSOLE_LOGLEVEL_DEFAULT) \
    $(wildcard include/config/CONSOLE_LOGLEVEL_QUIET) \
    $(wildcard include/config/EARLY_PRINTK) \
    $(wildcard include/config/PRINTK) \
    $(wildcard include/config/PRINTK_INDEX) \
    $(wildcard include/config/DYNAMIC_DEBUG) \
    $(wildcard include/config/DYNAMIC_DEBUG_CORE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/stdarg.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/init.h \
    $(wildcard include/config/MEMORY_HOTPLUG) \
    $(wildcard include/config/HAVE_ARCH_PREL32_RELOCATIONS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kern_levels.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/linkage.h \
    $(wildcard include/config/ARCH_USE_SYM_ANNOTATIONS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/export.h \
    $(wildcard include/config/MODVERSIONS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/linkage.h \
    $(wildcard include/config/CALL_PADDING) \
    $(wildcard include/config/MITIGATION_SLS) \
    $(wildcard include/config/FUNCTION_PADDING_BYTES) \
    $(wildcard include/config/UML) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/ibt.h \
    $(wildcard include/config/X86_KERNEL_IBT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/ratelimit_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/bits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/bits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/bits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/overflow.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/limits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/limits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/limits.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/param.h \
  arch/x86/include/generated/uapi/asm/param.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/param.h \
    $(wildcard include/config/HZ) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/param.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/spinlock_types_raw.h \
    $(wildcard include/config/DEBUG_SPINLOCK) \
    $(wildcard include/config/DEBUG_LOCK_ALLOC) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/spinlock_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/qspinlock_types.h \
    $(wildcard include/config/NR_CPUS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/qrwlock_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/byteorder.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/byteorder/little_endian.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/byteorder/little_endian.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/swab.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/swab.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/swab.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/byteorder/generic.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/lockdep_types.h \
    $(wildcard include/config/PROVE_RAW_LOCK_NESTING) \
    $(wildcard include/config/LOCKDEP) \
    $(wildcard include/config/LOCK_STAT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/nops.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/barrier.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mm.h \
    $(wildcard include/config/NUMA) \
    $(wildcard include/config/SYSCTL) \
    $(wildcard include/config/HAVE_ARCH_MMAP_RND_BITS) \
    $(wildcard include/config/HAVE_ARCH_MMAP_RND_COMPAT_BITS) \
    $(wildcard include/config/SPARSEMEM) \
    $(wildcard include/config/SPARSEMEM_VMEMMAP) \
    $(wildcard include/config/MMU) \
    $(wildcard include/config/MEM_SOFT_DIRTY) \
    $(wildcard include/config/ARCH_USES_HIGH_VMA_FLAGS) \
    $(wildcard include/config/ARCH_HAS_PKEYS) \
    $(wildcard include/config/ARCH_PKEY_BITS) \
    $(wildcard include/config/X86_USER_SHADOW_STACK) \
    $(wildcard include/config/X86) \
    $(wildcard include/config/PPC64) \
    $(wildcard include/config/PARISC) \
    $(wildcard include/config/SPARC64) \
    $(wildcard include/config/ARM64_MTE) \
    $(wildcard include/config/HAVE_ARCH_USERFAULTFD_MINOR) \
    $(wildcard include/config/PPC32) \
    $(wildcard include/config/STACK_GROWSUP) \
    $(wildcard include/config/NUMA_BALANCING) \
    $(wildcard include/config/PER_VMA_LOCK) \
    $(wildcard include/config/SHMEM) \
    $(wildcard include/config/ZONE_DEVICE) \
    $(wildcard include/config/FS_DAX) \
    $(wildcard include/config/KASAN_HW_TAGS) \
    $(wildcard include/config/MIGRATION) \
    $(wildcard include/config/CMA) \
    $(wildcard include/config/ARCH_HAS_GIGANTIC_PAGE) \
    $(wildcard include/config/HIGHMEM) \
    $(wildcard include/config/SCHED_MM_CID) \
    $(wildcard include/config/ARCH_HAS_PTE_SPECIAL) \
    $(wildcard include/config/ARCH_SUPPORTS_PMD_PFNMAP) \
    $(wildcard include/config/ARCH_SUPPORTS_PUD_PFNMAP) \
    $(wildcard include/config/ARCH_HAS_PTE_DEVMAP) \
    $(wildcard include/config/SPLIT_PTE_PTLOCKS) \
    $(wildcard include/config/HIGHPTE) \
    $(wildcard include/config/SPLIT_PMD_PTLOCKS) \
    $(wildcard include/config/TRANSPARENT_HUGEPAGE) \
    $(wildcard include/config/DEBUG_VM_RB) \
    $(wildcard include/config/PAGE_POISONING) \
    $(wildcard include/config/INIT_ON_ALLOC_DEFAULT_ON) \
    $(wildcard include/config/INIT_ON_FREE_DEFAULT_ON) \
    $(wildcard include/config/DEBUG_PAGEALLOC) \
    $(wildcard include/config/ARCH_WANT_OPTIMIZE_DAX_VMEMMAP) \
    $(wildcard include/config/MEMORY_FAILURE) \
    $(wildcard include/config/HUGETLBFS) \
    $(wildcard include/config/MAPPING_DIRTY_HELPERS) \
    $(wildcard include/config/ANON_VMA_NAME) \
    $(wildcard include/config/UNACCEPTED_MEMORY) \
    $(wildcard include/config/MEM_ALLOC_PROFILING) \
    $(wildcard include/config/PAGE_POOL) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/errno.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/errno.h \
  arch/x86/include/generated/uapi/asm/errno.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/errno.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/errno-base.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mmdebug.h \
    $(wildcard include/config/DEBUG_VM) \
    $(wildcard include/config/DEBUG_VM_IRQSOFF) \
    $(wildcard include/config/DEBUG_VIRTUAL) \
    $(wildcard include/config/DEBUG_VM_PGFLAGS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/bug.h \
    $(wildcard include/config/BUG_ON_DATA_CORRUPTION) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/gfp.h \
    $(wildcard include/config/ZONE_DMA) \
    $(wildcard include/config/ZONE_DMA32) \
    $(wildcard include/config/COMPACTION) \
    $(wildcard include/config/CONTIG_ALLOC) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/gfp_types.h \
    $(wildcard include/config/SLAB_OBJ_EXT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mmzone.h \
    $(wildcard include/config/ARCH_FORCE_MAX_ORDER) \
    $(wildcard include/config/MEMORY_ISOLATION) \
    $(wildcard include/config/ZSMALLOC) \
    $(wildcard include/config/IOMMU_SUPPORT) \
    $(wildcard include/config/SWAP) \
    $(wildcard include/config/LRU_GEN) \
    $(wildcard include/config/LRU_GEN_STATS) \
    $(wildcard include/config/LRU_GEN_WALKS_MMU) \
    $(wildcard include/config/MEMCG) \
    $(wildcard include/config/FLATMEM) \
    $(wildcard include/config/PAGE_EXTENSION) \
    $(wildcard include/config/DEFERRED_STRUCT_PAGE_INIT) \
    $(wildcard include/config/HAVE_MEMORYLESS_NODES) \
    $(wildcard include/config/SPARSEMEM_EXTREME) \
    $(wildcard include/config/HAVE_ARCH_PFN_VALID) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/spinlock.h \
    $(wildcard include/config/PREEMPTION) \
    $(wildcard include/config/PREEMPT_RT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/typecheck.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/preempt.h \
    $(wildcard include/config/PREEMPT_COUNT) \
    $(wildcard include/config/DEBUG_PREEMPT) \
    $(wildcard include/config/TRACE_PREEMPT_TOGGLE) \
    $(wildcard include/config/PREEMPT_NOTIFIERS) \
    $(wildcard include/config/PREEMPT_DYNAMIC) \
    $(wildcard include/config/PREEMPT_NONE) \
    $(wildcard include/config/PREEMPT_VOLUNTARY) \
    $(wildcard include/config/PREEMPT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/cleanup.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/preempt.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/rmwcc.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/args.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/percpu.h \
    $(wildcard include/config/X86_64_SMP) \
    $(wildcard include/config/CC_HAS_NAMED_AS) \
    $(wildcard include/config/USE_X86_SEG_SUPPORT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/percpu.h \
    $(wildcard include/config/HAVE_SETUP_PER_CPU_AREA) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/threads.h \
    $(wildcard include/config/BASE_SMALL) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/percpu-defs.h \
    $(wildcard include/config/DEBUG_FORCE_WEAK_PER_CPU) \
    $(wildcard include/config/AMD_MEM_ENCRYPT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/current.h \
    $(wildcard include/config/MITIGATION_CALL_DEPTH_TRACKING) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/cache.h \
    $(wildcard include/config/ARCH_HAS_CACHE_LINE_SIZE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/kernel.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/sysinfo.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cache.h \
    $(wildcard include/config/X86_L1_CACHE_SHIFT) \
    $(wildcard include/config/X86_INTERNODE_CACHE_SHIFT) \
    $(wildcard include/config/X86_VSMP) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/static_call_types.h \
    $(wildcard include/config/HAVE_STATIC_CALL) \
    $(wildcard include/config/HAVE_STATIC_CALL_INLINE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/irqflags.h \
    $(wildcard include/config/PROVE_LOCKING) \
    $(wildcard include/config/TRACE_IRQFLAGS) \
    $(wildcard include/config/IRQSOFF_TRACER) \
    $(wildcard include/config/PREEMPT_TRACER) \
    $(wildcard include/config/DEBUG_IRQFLAGS) \
    $(wildcard include/config/TRACE_IRQFLAGS_SUPPORT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/irqflags_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/irqflags.h \
    $(wildcard include/config/PARAVIRT) \
    $(wildcard include/config/PARAVIRT_XXL) \
    $(wildcard include/config/DEBUG_ENTRY) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/processor-flags.h \
    $(wildcard include/config/VM86) \
    $(wildcard include/config/MITIGATION_PAGE_TABLE_ISOLATION) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/processor-flags.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mem_encrypt.h \
    $(wildcard include/config/ARCH_HAS_MEM_ENCRYPT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/mem_encrypt.h \
    $(wildcard include/config/X86_MEM_ENCRYPT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/cc_platform.h \
    $(wildcard include/config/ARCH_HAS_CC_PLATFORM) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/nospec-branch.h \
    $(wildcard include/config/CALL_THUNKS_DEBUG) \
    $(wildcard include/config/MITIGATION_IBPB_ENTRY) \
    $(wildcard include/config/BPF_JIT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/static_key.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/jump_label.h \
    $(wildcard include/config/JUMP_LABEL) \
    $(wildcard include/config/HAVE_ARCH_JUMP_LABEL_RELATIVE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/atomic.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/atomic.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cmpxchg.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cpufeatures.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/required-features.h \
    $(wildcard include/config/X86_MINIMUM_CPU_FAMILY) \
    $(wildcard include/config/MATH_EMULATION) \
    $(wildcard include/config/X86_PAE) \
    $(wildcard include/config/X86_CMPXCHG64) \
    $(wildcard include/config/X86_CMOV) \
    $(wildcard include/config/X86_P6_NOP) \
    $(wildcard include/config/MATOM) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/disabled-features.h \
    $(wildcard include/config/X86_UMIP) \
    $(wildcard include/config/X86_INTEL_MEMORY_PROTECTION_KEYS) \
    $(wildcard include/config/X86_5LEVEL) \
    $(wildcard include/config/ADDRESS_MASKING) \
    $(wildcard include/config/INTEL_IOMMU_SVM) \
    $(wildcard include/config/X86_SGX) \
    $(wildcard include/config/XEN_PV) \
    $(wildcard include/config/INTEL_TDX_GUEST) \
    $(wildcard include/config/X86_FRED) \
    $(wildcard include/config/KVM_AMD_SEV) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cmpxchg_64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/atomic64_64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/atomic/atomic-arch-fallback.h \
    $(wildcard include/config/GENERIC_ATOMIC64) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/atomic/atomic-long.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/atomic/atomic-instrumented.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/instrumented.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kmsan-checks.h \
    $(wildcard include/config/KMSAN) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/msr-index.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/unwind_hints.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/orc_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/segment.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/thread_info.h \
    $(wildcard include/config/THREAD_INFO_IN_TASK) \
    $(wildcard include/config/GENERIC_ENTRY) \
    $(wildcard include/config/HAVE_ARCH_WITHIN_STACK_FRAMES) \
    $(wildcard include/config/HARDENED_USERCOPY) \
    $(wildcard include/config/SH) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/restart_block.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/bitops.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitops/generic-non-atomic.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/bitops.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitops/sched.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/arch_hweight.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitops/const_hweight.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitops/instrumented-atomic.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitops/instrumented-non-atomic.h \
    $(wildcard include/config/KCSAN_ASSUME_PLAIN_WRITES_ATOMIC) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitops/instrumented-lock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitops/le.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/bitops/ext2-atomic-setbit.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/thread_info.h \
    $(wildcard include/config/X86_IOPL_IOPERM) \
    $(wildcard include/config/COMPAT) \
    $(wildcard include/config/IA32_EMULATION) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/page.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/page_types.h \
    $(wildcard include/config/PAGE_SHIFT) \
    $(wildcard include/config/PHYSICAL_START) \
    $(wildcard include/config/PHYSICAL_ALIGN) \
    $(wildcard include/config/DYNAMIC_PHYSICAL_MASK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/page_64_types.h \
    $(wildcard include/config/KASAN) \
    $(wildcard include/config/DYNAMIC_MEMORY_LAYOUT) \
    $(wildcard include/config/RANDOMIZE_BASE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/kaslr.h \
    $(wildcard include/config/RANDOMIZE_MEMORY) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/page_64.h \
    $(wildcard include/config/X86_VSYSCALL_EMULATION) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/range.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/memory_model.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/pfn.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/getorder.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/log2.h \
    $(wildcard include/config/ARCH_HAS_ILOG2_U32) \
    $(wildcard include/config/ARCH_HAS_ILOG2_U64) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cpufeature.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/processor.h \
    $(wildcard include/config/X86_VMX_FEATURE_NAMES) \
    $(wildcard include/config/STACKPROTECTOR) \
    $(wildcard include/config/CPU_SUP_AMD) \
    $(wildcard include/config/XEN) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/math_emu.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/ptrace.h \
    $(wildcard include/config/X86_DEBUGCTLMSR) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/ptrace.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/ptrace-abi.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/paravirt_types.h \
    $(wildcard include/config/PGTABLE_LEVELS) \
    $(wildcard include/config/ZERO_CALL_USED_REGS) \
    $(wildcard include/config/PARAVIRT_DEBUG) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/desc_defs.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pgtable_types.h \
    $(wildcard include/config/HAVE_ARCH_USERFAULTFD_WP) \
    $(wildcard include/config/PROC_FS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pgtable_64_types.h \
    $(wildcard include/config/DEBUG_KMAP_LOCAL_FORCE_MAP) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/sparsemem.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/pgtable-nop4d.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/proto.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/ldt.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/sigcontext.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cpuid.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/string.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/string_64.h \
    $(wildcard include/config/ARCH_HAS_UACCESS_FLUSHCACHE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/special_insns.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/fpu/types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/vmxfeatures.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/vdso/processor.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/shstk.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/personality.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/personality.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/math64.h \
    $(wildcard include/config/ARCH_SUPPORTS_INT128) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/math.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/div64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/div64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/math64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/err.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/bottom_half.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/instruction_pointer.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/lockdep.h \
    $(wildcard include/config/DEBUG_LOCKING_API_SELFTESTS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/smp.h \
    $(wildcard include/config/UP_LATE_INIT) \
    $(wildcard include/config/CSD_LOCK_WAIT_DEBUG) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/cpumask.h \
    $(wildcard include/config/FORCE_NR_CPUS) \
    $(wildcard include/config/HOTPLUG_CPU) \
    $(wildcard include/config/DEBUG_PER_CPU_MAPS) \
    $(wildcard include/config/CPUMASK_OFFSTACK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kernel.h \
    $(wildcard include/config/PREEMPT_VOLUNTARY_BUILD) \
    $(wildcard include/config/HAVE_PREEMPT_DYNAMIC_CALL) \
    $(wildcard include/config/HAVE_PREEMPT_DYNAMIC_KEY) \
    $(wildcard include/config/PREEMPT_) \
    $(wildcard include/config/DEBUG_ATOMIC_SLEEP) \
    $(wildcard include/config/TRACING) \
    $(wildcard include/config/FTRACE_MCOUNT_RECORD) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/align.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/array_size.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/hex.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kstrtox.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/minmax.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sprintf.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/wordpart.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/bitmap.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/find.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/string.h \
    $(wildcard include/config/BINARY_PRINTF) \
    $(wildcard include/config/FORTIFY_SOURCE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/string.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/bitmap-str.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/cpumask_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/numa.h \
    $(wildcard include/config/NODES_SHIFT) \
    $(wildcard include/config/NUMA_KEEP_MEMINFO) \
    $(wildcard include/config/HAVE_ARCH_NODE_DEV_GROUP) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/smp_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/llist.h \
    $(wildcard include/config/ARCH_HAVE_NMI_SAFE_CMPXCHG) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/smp.h \
    $(wildcard include/config/DEBUG_NMI_SELFTEST) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cpumask.h \
  arch/x86/include/generated/asm/mmiowb.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/mmiowb.h \
    $(wildcard include/config/MMIOWB) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/spinlock_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rwlock_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/spinlock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/paravirt.h \
    $(wildcard include/config/PARAVIRT_SPINLOCKS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/frame.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/qspinlock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/qspinlock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/qrwlock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/qrwlock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rwlock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/spinlock_api_smp.h \
    $(wildcard include/config/INLINE_SPIN_LOCK) \
    $(wildcard include/config/INLINE_SPIN_LOCK_BH) \
    $(wildcard include/config/INLINE_SPIN_LOCK_IRQ) \
    $(wildcard include/config/INLINE_SPIN_LOCK_IRQSAVE) \
    $(wildcard include/config/INLINE_SPIN_TRYLOCK) \
    $(wildcard include/config/INLINE_SPIN_TRYLOCK_BH) \
    $(wildcard include/config/UNINLINE_SPIN_UNLOCK) \
    $(wildcard include/config/INLINE_SPIN_UNLOCK_BH) \
    $(wildcard include/config/INLINE_SPIN_UNLOCK_IRQ) \
    $(wildcard include/config/INLINE_SPIN_UNLOCK_IRQRESTORE) \
    $(wildcard include/config/GENERIC_LOCKBREAK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rwlock_api_smp.h \
    $(wildcard include/config/INLINE_READ_LOCK) \
    $(wildcard include/config/INLINE_WRITE_LOCK) \
    $(wildcard include/config/INLINE_READ_LOCK_BH) \
    $(wildcard include/config/INLINE_WRITE_LOCK_BH) \
    $(wildcard include/config/INLINE_READ_LOCK_IRQ) \
    $(wildcard include/config/INLINE_WRITE_LOCK_IRQ) \
    $(wildcard include/config/INLINE_READ_LOCK_IRQSAVE) \
    $(wildcard include/config/INLINE_WRITE_LOCK_IRQSAVE) \
    $(wildcard include/config/INLINE_READ_TRYLOCK) \
    $(wildcard include/config/INLINE_WRITE_TRYLOCK) \
    $(wildcard include/config/INLINE_READ_UNLOCK) \
    $(wildcard include/config/INLINE_WRITE_UNLOCK) \
    $(wildcard include/config/INLINE_READ_UNLOCK_BH) \
    $(wildcard include/config/INLINE_WRITE_UNLOCK_BH) \
    $(wildcard include/config/INLINE_READ_UNLOCK_IRQ) \
    $(wildcard include/config/INLINE_WRITE_UNLOCK_IRQ) \
    $(wildcard include/config/INLINE_READ_UNLOCK_IRQRESTORE) \
    $(wildcard include/config/INLINE_WRITE_UNLOCK_IRQRESTORE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/list_nulls.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/wait.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/seqlock.h \
    $(wildcard include/config/CC_IS_GCC) \
    $(wildcard include/config/GCC_VERSION) \
    $(wildcard include/config/UBSAN_ALIGNMENT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mutex.h \
    $(wildcard include/config/DEBUG_MUTEXES) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/osq_lock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/debug_locks.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mutex_types.h \
    $(wildcard include/config/MUTEX_SPIN_ON_OWNER) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/seqlock_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/nodemask.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/nodemask_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/random.h \
    $(wildcard include/config/VMGENID) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/random.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/ioctl.h \
  arch/x86/include/generated/uapi/asm/ioctl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/ioctl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/ioctl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/irqnr.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/irqnr.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/prandom.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/once.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/pageblock-flags.h \
    $(wildcard include/config/HUGETLB_PAGE) \
    $(wildcard include/config/HUGETLB_PAGE_SIZE_VARIABLE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/page-flags-layout.h \
  include/generated/bounds.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mm_types.h \
    $(wildcard include/config/HAVE_ALIGNED_STRUCT_PAGE) \
    $(wildcard include/config/HUGETLB_PMD_PAGE_TABLE_SHARING) \
    $(wildcard include/config/USERFAULTFD) \
    $(wildcard include/config/HAVE_ARCH_COMPAT_MMAP_BASES) \
    $(wildcard include/config/MEMBARRIER) \
    $(wildcard include/config/FUTEX) \
    $(wildcard include/config/AIO) \
    $(wildcard include/config/MMU_NOTIFIER) \
    $(wildcard include/config/ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH) \
    $(wildcard include/config/IOMMU_MM_DATA) \
    $(wildcard include/config/KSM) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mm_types_task.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/tlbbatch.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/auxvec.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/auxvec.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/auxvec.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kref.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/refcount.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/refcount_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rbtree.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rbtree_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rcupdate.h \
    $(wildcard include/config/PREEMPT_RCU) \
    $(wildcard include/config/TINY_RCU) \
    $(wildcard include/config/RCU_STRICT_GRACE_PERIOD) \
    $(wildcard include/config/RCU_LAZY) \
    $(wildcard include/config/TASKS_RCU_GENERIC) \
    $(wildcard include/config/RCU_STALL_COMMON) \
    $(wildcard include/config/NO_HZ_FULL) \
    $(wildcard include/config/KVM_XFER_TO_GUEST_WORK) \
    $(wildcard include/config/RCU_NOCB_CPU) \
    $(wildcard include/config/TASKS_RCU) \
    $(wildcard include/config/TASKS_TRACE_RCU) \
    $(wildcard include/config/TASKS_RUDE_RCU) \
    $(wildcard include/config/TREE_RCU) \
    $(wildcard include/config/DEBUG_OBJECTS_RCU_HEAD) \
    $(wildcard include/config/PROVE_RCU) \
    $(wildcard include/config/ARCH_WEAK_RELEASE_ACQUIRE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/context_tracking_irq.h \
    $(wildcard include/config/CONTEXT_TRACKING_IDLE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rcutree.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/maple_tree.h \
    $(wildcard include/config/MAPLE_RCU_DISABLED) \
    $(wildcard include/config/DEBUG_MAPLE_TREE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rwsem.h \
    $(wildcard include/config/RWSEM_SPIN_ON_OWNER) \
    $(wildcard include/config/DEBUG_RWSEMS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/completion.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/swait.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/uprobes.h \
    $(wildcard include/config/UPROBES) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/workqueue.h \
    $(wildcard include/config/DEBUG_OBJECTS_WORK) \
    $(wildcard include/config/FREEZER) \
    $(wildcard include/config/SYSFS) \
    $(wildcard include/config/WQ_WATCHDOG) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/timer.h \
    $(wildcard include/config/DEBUG_OBJECTS_TIMERS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/ktime.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/jiffies.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/time.h \
    $(wildcard include/config/POSIX_TIMERS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/time64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/time64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/time.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/time_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/time32.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/timex.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/timex.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/timex.h \
    $(wildcard include/config/X86_TSC) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/tsc.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/msr.h \
    $(wildcard include/config/TRACEPOINTS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/msr.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/shared/msr.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/percpu.h \
    $(wildcard include/config/MODULES) \
    $(wildcard include/config/RANDOM_KMALLOC_CACHES) \
    $(wildcard include/config/PAGE_SIZE_4KB) \
    $(wildcard include/config/NEED_PER_CPU_PAGE_FIRST_CHUNK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/alloc_tag.h \
    $(wildcard include/config/MEM_ALLOC_PROFILING_DEBUG) \
    $(wildcard include/config/MEM_ALLOC_PROFILING_ENABLED_BY_DEFAULT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/codetag.h \
    $(wildcard include/config/CODE_TAGGING) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched.h \
    $(wildcard include/config/VIRT_CPU_ACCOUNTING_NATIVE) \
    $(wildcard include/config/SCHED_INFO) \
    $(wildcard include/config/SCHEDSTATS) \
    $(wildcard include/config/SCHED_CORE) \
    $(wildcard include/config/FAIR_GROUP_SCHED) \
    $(wildcard include/config/RT_GROUP_SCHED) \
    $(wildcard include/config/RT_MUTEXES) \
    $(wildcard include/config/UCLAMP_TASK) \
    $(wildcard include/config/UCLAMP_BUCKETS_COUNT) \
    $(wildcard include/config/KMAP_LOCAL) \
    $(wildcard include/config/SCHED_CLASS_EXT) \
    $(wildcard include/config/CGROUP_SCHED) \
    $(wildcard include/config/BLK_DEV_IO_TRACE) \
    $(wildcard include/config/MEMCG_V1) \
    $(wildcard include/config/COMPAT_BRK) \
    $(wildcard include/config/CGROUPS) \
    $(wildcard include/config/BLK_CGROUP) \
    $(wildcard include/config/PSI) \
    $(wildcard include/config/PAGE_OWNER) \
    $(wildcard include/config/EVENTFD) \
    $(wildcard include/config/ARCH_HAS_CPU_PASID) \
    $(wildcard include/config/CPU_SUP_INTEL) \
    $(wildcard include/config/TASK_DELAY_ACCT) \
    $(wildcard include/config/ARCH_HAS_SCALED_CPUTIME) \
    $(wildcard include/config/VIRT_CPU_ACCOUNTING_GEN) \
    $(wildcard include/config/POSIX_CPUTIMERS) \
    $(wildcard include/config/POSIX_CPU_TIMERS_TASK_WORK) \
    $(wildcard include/config/KEYS) \
    $(wildcard include/config/SYSVIPC) \
    $(wildcard include/config/DETECT_HUNG_TASK) \
    $(wildcard include/config/IO_URING) \
    $(wildcard include/config/AUDIT) \
    $(wildcard include/config/AUDITSYSCALL) \
    $(wildcard include/config/UBSAN) \
    $(wildcard include/config/UBSAN_TRAP) \
    $(wildcard include/config/TASK_XACCT) \
    $(wildcard include/config/CPUSETS) \
    $(wildcard include/config/X86_CPU_RESCTRL) \
    $(wildcard include/config/PERF_EVENTS) \
    $(wildcard include/config/RSEQ) \
    $(wildcard include/config/FAULT_INJECTION) \
    $(wildcard include/config/LATENCYTOP) \
    $(wildcard include/config/KUNIT) \
    $(wildcard include/config/FUNCTION_GRAPH_TRACER) \
    $(wildcard include/config/BCACHE) \
    $(wildcard include/config/VMAP_STACK) \
    $(wildcard include/config/LIVEPATCH) \
    $(wildcard include/config/SECURITY) \
    $(wildcard include/config/BPF_SYSCALL) \
    $(wildcard include/config/GCC_PLUGIN_STACKLEAK) \
    $(wildcard include/config/RANDOMIZE_KSTACK_OFFSET) \
    $(wildcard include/config/X86_MCE) \
    $(wildcard include/config/KRETPROBES) \
    $(wildcard include/config/RETHOOK) \
    $(wildcard include/config/ARCH_HAS_PARANOID_L1D_FLUSH) \
    $(wildcard include/config/RV) \
    $(wildcard include/config/USER_EVENTS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/sched.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/pid_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sem_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/shm.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/shmparam.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kmsan_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/plist_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/hrtimer_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/timerqueue_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/timer_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/seccomp_types.h \
    $(wildcard include/config/SECCOMP) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/resource.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/resource.h \
  arch/x86/include/generated/uapi/asm/resource.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/resource.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/resource.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/latencytop.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/prio.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/signal_types.h \
    $(wildcard include/config/OLD_SIGACTION) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/signal.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/signal.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/signal.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/signal-defs.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/siginfo.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/siginfo.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/syscall_user_dispatch_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/netdevice_xmit.h \
    $(wildcard include/config/NET_ACT_MIRRED) \
    $(wildcard include/config/NET_EGRESS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/task_io_accounting.h \
    $(wildcard include/config/TASK_IO_ACCOUNTING) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/posix-timers_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/rseq.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kcsan.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rv.h \
    $(wildcard include/config/RV_REACTORS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/livepatch_sched.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/uidgid_types.h \
  arch/x86/include/generated/asm/kmap_size.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/kmap_size.h \
    $(wildcard include/config/DEBUG_KMAP_LOCAL) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/ext.h \
    $(wildcard include/config/EXT_GROUP_SCHED) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/tracepoint-defs.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/time32.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/time.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/jiffies.h \
  include/generated/timeconst.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/vdso/ktime.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/timekeeping.h \
    $(wildcard include/config/GENERIC_CMOS_UPDATE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/clocksource_ids.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/debugobjects.h \
    $(wildcard include/config/DEBUG_OBJECTS) \
    $(wildcard include/config/DEBUG_OBJECTS_FREE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/workqueue_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/percpu_counter.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/mmu.h \
    $(wildcard include/config/MODIFY_LDT_SYSCALL) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/page-flags.h \
    $(wildcard include/config/PAGE_IDLE_FLAG) \
    $(wildcard include/config/ARCH_USES_PG_ARCH_2) \
    $(wildcard include/config/ARCH_USES_PG_ARCH_3) \
    $(wildcard include/config/HUGETLB_PAGE_OPTIMIZE_VMEMMAP) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/local_lock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/local_lock_internal.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/zswap.h \
    $(wildcard include/config/ZSWAP) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/memory_hotplug.h \
    $(wildcard include/config/ARCH_HAS_ADD_PAGES) \
    $(wildcard include/config/MEMORY_HOTREMOVE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/notifier.h \
    $(wildcard include/config/TREE_SRCU) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/srcu.h \
    $(wildcard include/config/TINY_SRCU) \
    $(wildcard include/config/NEED_SRCU_NMI_SAFE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rcu_segcblist.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/srcutree.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rcu_node_tree.h \
    $(wildcard include/config/RCU_FANOUT) \
    $(wildcard include/config/RCU_FANOUT_LEAF) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/topology.h \
    $(wildcard include/config/USE_PERCPU_NUMA_NODE_ID) \
    $(wildcard include/config/SCHED_SMT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/arch_topology.h \
    $(wildcard include/config/GENERIC_ARCH_TOPOLOGY) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/topology.h \
    $(wildcard include/config/X86_LOCAL_APIC) \
    $(wildcard include/config/SCHED_MC_PRIO) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/topology.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/cpu_smt.h \
    $(wildcard include/config/HOTPLUG_SMT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/pgalloc_tag.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mmap_lock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/percpu-refcount.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/bit_spinlock.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/shrinker.h \
    $(wildcard include/config/SHRINKER_DEBUG) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/page_ext.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/stacktrace.h \
    $(wildcard include/config/ARCH_STACKWALK) \
    $(wildcard include/config/STACKTRACE) \
    $(wildcard include/config/HAVE_RELIABLE_STACKTRACE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/page_ref.h \
    $(wildcard include/config/DEBUG_PAGE_REF) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sizes.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/pgtable.h \
    $(wildcard include/config/ARCH_HAS_NONLEAF_PMD_YOUNG) \
    $(wildcard include/config/ARCH_HAS_HW_PTE_YOUNG) \
    $(wildcard include/config/GUP_GET_PXX_LOW_HIGH) \
    $(wildcard include/config/ARCH_WANT_PMD_MKWRITE) \
    $(wildcard include/config/HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD) \
    $(wildcard include/config/HAVE_ARCH_SOFT_DIRTY) \
    $(wildcard include/config/ARCH_ENABLE_THP_MIGRATION) \
    $(wildcard include/config/HAVE_ARCH_HUGE_VMAP) \
    $(wildcard include/config/X86_ESPFIX64) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pgtable.h \
    $(wildcard include/config/DEBUG_WX) \
    $(wildcard include/config/PAGE_TABLE_CHECK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/x86_init.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pkru.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/fpu/api.h \
    $(wildcard include/config/X86_DEBUG_FPU) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/coco.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/pgtable_uffd.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/page_table_check.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pgtable_64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/fixmap.h \
    $(wildcard include/config/PROVIDE_OHCI1394_DMA_INIT) \
    $(wildcard include/config/X86_IO_APIC) \
    $(wildcard include/config/PCI_MMCONFIG) \
    $(wildcard include/config/ACPI_APEI_GHES) \
    $(wildcard include/config/INTEL_TXT) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/apicdef.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/vsyscall.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/fixmap.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pgtable-invert.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kasan.h \
    $(wildcard include/config/KASAN_STACK) \
    $(wildcard include/config/KASAN_VMALLOC) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kasan-enabled.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kasan-tags.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/memremap.h \
    $(wildcard include/config/DEVICE_PRIVATE) \
    $(wildcard include/config/PCI_P2PDMA) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/ioport.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/slab.h \
    $(wildcard include/config/FAILSLAB) \
    $(wildcard include/config/KFENCE) \
    $(wildcard include/config/SLUB_TINY) \
    $(wildcard include/config/SLUB_DEBUG) \
    $(wildcard include/config/SLAB_FREELIST_HARDENED) \
    $(wildcard include/config/SLAB_BUCKETS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/hash.h \
    $(wildcard include/config/HAVE_ARCH_HASH) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/huge_mm.h \
    $(wildcard include/config/PGTABLE_HAS_HUGE_LEAVES) \
    $(wildcard include/config/READ_ONLY_THP_FOR_FS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/coredump.h \
    $(wildcard include/config/CORE_DUMP_DEFAULT_ELF_HEADERS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/fs.h \
    $(wildcard include/config/FANOTIFY_ACCESS_PERMISSIONS) \
    $(wildcard include/config/FS_POSIX_ACL) \
    $(wildcard include/config/CGROUP_WRITEBACK) \
    $(wildcard include/config/IMA) \
    $(wildcard include/config/FILE_LOCKING) \
    $(wildcard include/config/FSNOTIFY) \
    $(wildcard include/config/FS_ENCRYPTION) \
    $(wildcard include/config/FS_VERITY) \
    $(wildcard include/config/EPOLL) \
    $(wildcard include/config/UNICODE) \
    $(wildcard include/config/QUOTA) \
    $(wildcard include/config/BLOCK) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/wait_bit.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kdev_t.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/kdev_t.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/dcache.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rculist.h \
    $(wildcard include/config/PROVE_RCU_LIST) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rculist_bl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/list_bl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/lockref.h \
    $(wildcard include/config/ARCH_USE_CMPXCHG_LOCKREF) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/stringhash.h \
    $(wildcard include/config/DCACHE_WORD_ACCESS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/path.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/stat.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi/asm/stat.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/stat.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/uidgid.h \
    $(wildcard include/config/MULTIUSER) \
    $(wildcard include/config/USER_NS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/highuid.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/list_lru.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/xarray.h \
    $(wildcard include/config/XARRAY_MULTI) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/mm.h \
    $(wildcard include/config/MMU_LAZY_TLB_REFCOUNT) \
    $(wildcard include/config/ARCH_HAS_MEMBARRIER_CALLBACKS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sync_core.h \
    $(wildcard include/config/ARCH_HAS_SYNC_CORE_BEFORE_USERMODE) \
    $(wildcard include/config/ARCH_HAS_PREPARE_SYNC_CORE_CMD) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/sync_core.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/radix-tree.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/pid.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/capability.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/capability.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/semaphore.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/fcntl.h \
    $(wildcard include/config/ARCH_32BIT_OFF_T) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/fcntl.h \
  arch/x86/include/generated/uapi/asm/fcntl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/asm-generic/fcntl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/openat2.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/migrate_mode.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/percpu-rwsem.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rcuwait.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/signal.h \
    $(wildcard include/config/SCHED_AUTOGROUP) \
    $(wildcard include/config/BSD_PROCESS_ACCT) \
    $(wildcard include/config/TASKSTATS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/signal.h \
    $(wildcard include/config/DYNAMIC_SIGFRAME) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/jobctl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/task.h \
    $(wildcard include/config/HAVE_EXIT_THREAD) \
    $(wildcard include/config/ARCH_WANTS_DYNAMIC_TASK_STRUCT) \
    $(wildcard include/config/HAVE_ARCH_THREAD_STRUCT_WHITELIST) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/uaccess.h \
    $(wildcard include/config/ARCH_HAS_SUBPAGE_FAULTS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/fault-inject-usercopy.h \
    $(wildcard include/config/FAULT_INJECTION_USERCOPY) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/nospec.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/uaccess.h \
    $(wildcard include/config/CC_HAS_ASM_GOTO_OUTPUT) \
    $(wildcard include/config/CC_HAS_ASM_GOTO_TIED_OUTPUT) \
    $(wildcard include/config/ARCH_HAS_COPY_MC) \
    $(wildcard include/config/X86_INTEL_USERCOPY) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/smap.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/extable.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/tlbflush.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mmu_notifier.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/interval_tree.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/invpcid.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/pti.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/uaccess_64.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/runtime-const.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/access_ok.h \
    $(wildcard include/config/ALTERNATE_USER_ADDRESS_SPACE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/cred.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/key.h \
    $(wildcard include/config/KEY_NOTIFICATIONS) \
    $(wildcard include/config/NET) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sysctl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/sysctl.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/assoc_array.h \
    $(wildcard include/config/ASSOCIATIVE_ARRAY) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/user.h \
    $(wildcard include/config/VFIO_PCI_ZDEV_KVM) \
    $(wildcard include/config/IOMMUFD) \
    $(wildcard include/config/SECRETMEM) \
    $(wildcard include/config/WATCH_QUEUE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/ratelimit.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/posix-timers.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/alarmtimer.h \
    $(wildcard include/config/RTC_CLASS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/hrtimer.h \
    $(wildcard include/config/HIGH_RES_TIMERS) \
    $(wildcard include/config/TIME_LOW_RES) \
    $(wildcard include/config/TIMERFD) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/hrtimer_defs.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/timerqueue.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rcu_sync.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/delayed_call.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/uuid.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/errseq.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/ioprio.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sched/rt.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/iocontext.h \
    $(wildcard include/config/BLK_ICQ) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/ioprio.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/fs_types.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mount.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/mnt_idmapping.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/rw_hint.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/fs.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/quota.h \
    $(wildcard include/config/QUOTA_NETLINK_INTERFACE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/dqblk_xfs.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/dqblk_v1.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/dqblk_v2.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/dqblk_qtree.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/projid.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi/linux/quota.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kobject.h \
    $(wildcard include/config/UEVENT_HELPER) \
    $(wildcard include/config/DEBUG_KOBJECT_RELEASE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/sysfs.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kernfs.h \
    $(wildcard include/config/KERNFS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/idr.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kobject_ns.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/secretmem.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/vmstat.h \
    $(wildcard include/config/VM_EVENT_COUNTERS) \
    $(wildcard include/config/DEBUG_TLBFLUSH) \
    $(wildcard include/config/PER_VMA_LOCK_STATS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/vm_event_item.h \
    $(wildcard include/config/MEMORY_BALLOON) \
    $(wildcard include/config/BALLOON_COMPACTION) \
    $(wildcard include/config/DEBUG_STACK_USAGE) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/pagemap.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/highmem.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/cacheflush.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/cacheflush.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/asm-generic/cacheflush.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kmsan.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/dma-direction.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/hardirq.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/context_tracking_state.h \
    $(wildcard include/config/CONTEXT_TRACKING_USER) \
    $(wildcard include/config/CONTEXT_TRACKING) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/ftrace_irq.h \
    $(wildcard include/config/HWLAT_TRACER) \
    $(wildcard include/config/OSNOISE_TRACER) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/vtime.h \
    $(wildcard include/config/VIRT_CPU_ACCOUNTING) \
    $(wildcard include/config/IRQ_TIME_ACCOUNTING) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/hardirq.h \
    $(wildcard include/config/KVM_INTEL) \
    $(wildcard include/config/KVM) \
    $(wildcard include/config/X86_THERMAL_VECTOR) \
    $(wildcard include/config/X86_MCE_THRESHOLD) \
    $(wildcard include/config/X86_MCE_AMD) \
    $(wildcard include/config/X86_HV_CALLBACK_VECTOR) \
    $(wildcard include/config/HYPERV) \
    $(wildcard include/config/X86_POSTED_MSI) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/highmem-internal.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/hugetlb_inline.h \

mm/guestmem.o: $(deps_mm/guestmem.o)

$(deps_mm/guestmem.o):

mm/guestmem.o: $(wildcard ./tools/objtool/objtool)
