#ifndef SWEEPLINE_WORKLOAD_SPAWN_H
#define SWEEPLINE_WORKLOAD_SPAWN_H

#include <sys/types.h>

/// Starts `file` (looked up on this process's PATH) with exactly `argv` and `envp`, stdin on
/// /dev/null and stdout/stderr on the given descriptors, in a process group of its own, with
/// default signal handling and an empty signal mask.
///
/// When `switch_user` is non-zero the child drops to `uid`/`gid` with exactly the
/// `group_count` supplementary `groups` (the user's own, as login would give them) before it
/// runs anything of the workload's. Either way it receives SIGKILL when the thread
/// that called this ends (PR_SET_PDEATHSIG), so call it from a thread that lives as long as the
/// process. Returns the child's pid, or minus the errno of what failed (in the child: the
/// credential change or exec). With `cgroup_procs` (a cgroup v2 `cgroup.procs` path) the child
/// joins that cgroup first.
pid_t sweepline_spawn_workload(
    const char *file, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd,
    int switch_user, uid_t uid, gid_t gid, const gid_t *groups, size_t group_count, const char *cgroup_procs);

/// pipe2(fds, O_CLOEXEC): a pipe whose ends no process started meanwhile by another thread can
/// inherit. Returns 0, or -1 with errno set. (Glibc's pipe2 needs _GNU_SOURCE, which Swift's
/// Glibc module does not import.)
int sweepline_pipe_cloexec(int fds[2]);

#endif
