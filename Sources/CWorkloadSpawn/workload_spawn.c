// fork and exec by hand because posix_spawn cannot set a parent-death signal or change
// credentials. Between fork and exec the child makes only raw system calls: the parent is
// multithreaded, and nothing else is safe there.
#define _GNU_SOURCE
#include "workload_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void fail_child(int report_fd) {
    int error = errno;
    (void)!write(report_fd, &error, sizeof error);
    _exit(127);
}

pid_t sweepline_spawn_workload(
    const char *file, char *const argv[], char *const envp[], int stdout_fd, int stderr_fd,
    int switch_user, uid_t uid, gid_t gid, const gid_t *groups, size_t group_count, const char *cgroup_procs) {
    // The child writes its errno here if it fails before exec; exec closes it (O_CLOEXEC).
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -errno;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int error = errno;
        close(report[0]);
        close(report[1]);
        return -error;
    }
    if (pid == 0) {
        struct sigaction defaults = {0};
        defaults.sa_handler = SIG_DFL;
        for (int signal = 1; signal < NSIG; signal++) sigaction(signal, &defaults, NULL);
        sigset_t empty;
        sigemptyset(&empty);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        setpgid(0, 0);
        int null = open("/dev/null", O_RDONLY);
        if (null < 0 || dup2(null, 0) < 0 || dup2(stdout_fd, 1) < 0 || dup2(stderr_fd, 2) < 0) fail_child(report[1]);
        if (cgroup_procs) {
            // "0" moves the writing process; done while still the agent's user, who owns it.
            int cgroup = open(cgroup_procs, O_WRONLY | O_CLOEXEC);
            if (cgroup < 0 || write(cgroup, "0", 1) != 1) fail_child(report[1]);
            close(cgroup);
        }
        if (switch_user) {
            // Raw calls: glibc's setuid signals every thread of the parent it believes exists.
            if (syscall(SYS_setgroups, group_count, groups) != 0) fail_child(report[1]);
            if (syscall(SYS_setresgid, gid, gid, gid) != 0) fail_child(report[1]);
            if (syscall(SYS_setresuid, uid, uid, uid) != 0) fail_child(report[1]);
        }
        // After the credential change, which would clear it; then make sure the agent did not
        // die before it was set.
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail_child(report[1]);
        if (getppid() != parent) _exit(127);
        execvpe(file, argv, envp);
        fail_child(report[1]);
    }
    close(report[1]);
    int child_error = 0;
    ssize_t got;
    do {
        got = read(report[0], &child_error, sizeof child_error);
    } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof child_error) {
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {}
        return -child_error;
    }
    return pid;
}

int sweepline_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
