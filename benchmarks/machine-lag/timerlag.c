// How late this machine wakes a thread whose timer is due: the lag no client on it can avoid.
// A loop of absolute-deadline sleeps, every TICK ms for SECONDS, then the lag's percentiles.
//
//   cc -O2 -o timerlag timerlag.c && ./timerlag 5 10
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int ascending(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s TICK_MS SECONDS\n", argv[0]);
        return 2;
    }
    double tick = atof(argv[1]), seconds = atof(argv[2]);
    int count = (int)(seconds * 1000 / tick);
    if (tick <= 0 || count <= 0 || count > 10000000) {
        fprintf(stderr, "%s: TICK_MS and SECONDS must be positive, at most ten million ticks\n", argv[0]);
        return 2;
    }
    double *lags = malloc(count * sizeof *lags);
    if (!lags) return 1;
    for (int i = 0; i < count; i++) {
        double due = now_ms() + tick;
        struct timespec at = {(time_t)(due / 1e3), 0};
        at.tv_nsec = (long)((due - at.tv_sec * 1e3) * 1e6);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) != 0) {}
        lags[i] = now_ms() - due;
    }
    qsort(lags, count, sizeof *lags, ascending);
    int over = 0;
    for (int i = 0; i < count; i++) over += lags[i] > 5;
    printf("tick %g ms, %d ticks: lag p50 %.3f p99 %.3f p99.9 %.3f max %.3f ms; over 5 ms: %d (%.2f %%)\n", tick,
           count, lags[count / 2], lags[(int)(count * 0.99)], lags[(int)(count * 0.999)], lags[count - 1], over,
           100.0 * over / count);
    free(lags);
    return 0;
}
