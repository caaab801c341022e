savedcmd_lib/ctype.o := ccache gcc -Wp,-MMD,lib/.ctype.o.d -nostdinc -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include -I./arch/x86/include/generated -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include -I./include -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/uapi -I./arch/x86/include/generated/uapi -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/uapi -I./include/generated/uapi -include /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler-version.h -include /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/kconfig.h -include /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/compiler_types.h -D__KERNEL__ -fmacro-prefix-map=/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/= -std=gnu11 -fshort-wchar -funsigned-char -fno-common -fno-PIE -fno-strict-aliasing -mno-sse -mno-mmx -mno-sse2 -mno-3dnow -mno-avx -fcf-protection=none -m64 -falign-jumps=1 -falign-loops=1 -mno-80387 -mno-fp-ret-in-387 -mpreferred-stack-boundary=3 -mskip-rax-setup -mtune=generic -mno-red-zone -mcmodel=kernel -Wno-sign-compare -fno-asynchronous-unwind-tables -fno-delete-null-pointer-checks -O2 -fno-allow-store-data-races -fno-stack-protector -fomit-frame-pointer -ftrivial-auto-var-init=zero -fno-stack-clash-protection -falign-functions=16 -fno-strict-overflow -fno-stack-check -fconserve-stack -fno-builtin-wcslen -fno-builtin-wcslen -Wall -Wextra -Wundef -Werror=implicit-function-declaration -Werror=implicit-int -Werror=return-type -Werror=strict-prototypes -Wno-format-security -Wno-trigraphs -Wno-frame-address -Wno-address-of-packed-member -Wmissing-declarations -Wmissing-prototypes -Wframe-larger-than=2048 -Wno-main -Wno-dangling-pointer -Wvla -Wno-pointer-sign -Wcast-function-type -Wno-array-bounds -Wno-stringop-overflow -Wno-alloc-size-larger-than -Wimplicit-fallthrough=5 -Werror=date-time -Werror=incompatible-pointer-types -Werror=designated-init -Wenum-conversion -Wunused -Wno-unused-but-set-variable -Wno-unused-const-variable -Wno-packed-not-aligned -Wno-format-overflow -Wno-format-truncation -Wno-stringop-truncation -Wno-override-init -Wno-missing-field-initializers -Wno-type-limits -Wno-shift-negative-value -Wno-maybe-uninitialized -Wno-sign-compare -Wno-unused-parameter -I/root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/lib -Ilib    -DKBUILD_MODFILE='"lib/ctype"' -DKBUILD_BASENAME='"ctype"' -DKBUILD_MODNAME='"ctype"' -D__KBUILD_MODNAME=kmod_ctype -c -o lib/ctype.o /root/.cache/kwb/worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/lib/ctype.c   ; ./tools/objtool/objtool --hacks=jump_label --hacks=noinstr --orc --static-call --uaccess   lib/ctype.o

source_lib/ctype.o := ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/lib/ctype.c

deps_lib/ctype.o := \
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
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/ctype.h \
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
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/export.h \
    $(wildcard include/config/MODVERSIONS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/linkage.h \
    $(wildcard include/config/ARCH_USE_SYM_ANNOTATIONS) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/include/linux/stringify.h \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/linkage.h \
    $(wildcard include/config/CALL_PADDING) \
    $(wildcard include/config/MITIGATION_RETHUNK) \
    $(wildcard include/config/MITIGATION_SLS) \
    $(wildcard include/config/FUNCTION_PADDING_BYTES) \
    $(wildcard include/config/UML) \
  ../../worktrees/linux-source-6.12_6.12.117-1_deb12u1-patched/arch/x86/include/asm/ibt.h \
    $(wildcard include/config/X86_KERNEL_IBT) \

lib/ctype.o: $(deps_lib/ctype.o)

$(deps_lib/ctype.o):

lib/ctype.o: $(wildcard ./tools/objtool/objtool)
