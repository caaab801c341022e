// SPDX-License-Identifier: GPL-2.0
/*
 * guestmem_free_test - guest_memfd memory is given back when it is freed
 *
 * The guestmem series moves freeing of guest_memfd folios into mm/guestmem.c:
 * a hole punched in the file frees its folios, and the memory of a file is
 * freed when its last user (the file) goes away.  This test checks, from
 * userspace and on any kernel with KVM_CAP_GUEST_MEMFD, that the memory
 * really comes back: free memory drops when the file is populated and recovers
 * after a punch-hole and after close().  It must give the same result on the
 * base and on the patched kernel.
 *
 * Output is KTAP; exit status follows kselftest (0 pass, 1 fail, 4 skip).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define KSFT_PASS 0
#define KSFT_FAIL 1
#define KSFT_SKIP 4

#define SIZE_MB 64
#define SIZE ((long)SIZE_MB << 20)
/* Tolerate other activity in the guest: 3/4 of the expected change is enough. */
#define SLACK_KB ((SIZE >> 10) / 4)

static int failures;
static int test_no;

static void result(int ok, const char *name)
{
	printf("%sok %d %s\n", ok ? "" : "not ", ++test_no, name);
	if (!ok)
		failures++;
}

/*
 * Free memory as the page allocator sees it: the free pages of every zone plus
 * the pages waiting on per-cpu lists.  MemFree alone misses the latter, and a
 * few thousand freed pages can sit there.
 */
static long free_kb(void)
{
	char line[256];
	long total = 0, n;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " pages free %ld", &n) == 1 ||
		    sscanf(line, " count: %ld", &n) == 1)
			total += n;
	fclose(f);
	return total * (sysconf(_SC_PAGESIZE) >> 10);
}

static void skip_all(const char *why)
{
	printf("1..0 # SKIP %s\n", why);
	exit(KSFT_SKIP);
}

int main(void)
{
	struct kvm_create_guest_memfd gmem = { .size = SIZE };
	long before, populated, punched, closed;
	int kvm, vm, fd;

	printf("TAP version 13\n");
	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0)
		skip_all("no /dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, KVM_X86_SW_PROTECTED_VM);
	if (vm < 0)
		skip_all("KVM_X86_SW_PROTECTED_VM not supported");
	if (ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_GUEST_MEMFD) <= 0)
		skip_all("KVM_CAP_GUEST_MEMFD not supported");
	printf("1..4\n");

	before = free_kb();
	fd = ioctl(vm, KVM_CREATE_GUEST_MEMFD, &gmem);
	result(fd >= 0, "create_guest_memfd");
	if (fd < 0) {
		printf("# KVM_CREATE_GUEST_MEMFD: %s\n", strerror(errno));
		return KSFT_FAIL;
	}

	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, SIZE))
		printf("# fallocate: %s\n", strerror(errno));
	populated = free_kb();
	printf("# free %ld kB before, %ld kB after populating %d MiB\n",
	       before, populated, SIZE_MB);
	result(before - populated >= (SIZE >> 10) - SLACK_KB, "populate_takes_memory");

	if (fallocate(fd, FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE, 0, SIZE / 2))
		printf("# punch hole: %s\n", strerror(errno));
	punched = free_kb();
	printf("# free %ld kB after punching %d MiB\n", punched, SIZE_MB / 2);
	result(punched - populated >= (SIZE >> 11) - SLACK_KB, "punch_hole_frees_memory");

	close(fd);
	closed = free_kb();
	printf("# free %ld kB after close\n", closed);
	result(closed - punched >= (SIZE >> 11) - SLACK_KB, "close_frees_memory");

	close(vm);
	close(kvm);
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       test_no - failures, failures);
	return failures ? KSFT_FAIL : KSFT_PASS;
}
