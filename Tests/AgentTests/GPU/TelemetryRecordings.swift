@testable import Agent

/// Real tool output, copied from public sources for the telemetry tests. Nothing here is
/// hand-written and no value was changed; the only edits are cutting whole rows, as noted.
enum TelemetryRecordings {
    /// `nvidia-smi --query-gpu=timestamp,index,memory.used,utilization.gpu,power.draw,clocks.sm
    /// --format=csv -lms 1000` on an 8-GPU Hopper node (the study directory says H100): a header
    /// with units, no `noheader,nounits`, no `temperature.gpu` column. 20 one-second ticks, the
    /// idle phase (~120 W, 0 %) and the first seconds of load (100 %, ~230 W).
    ///
    /// Source: repo `tant2tls/Deepseek-serving`, commit `bca0005079fe2024d85fe3434bcf1f8988b2e663`,
    /// `reports/blog-architecture-h100-v1/data/qwen-38/serving/off/ctx1k_osl256_c1/repeat-1/telemetry/nvsmi.csv`
    /// (command in `bench/run_matrix.py`, `Poller.__enter__`). The same bytes as
    /// `Tests/AgentTests/Fixtures/nvidia-smi-telemetry-8xH100.csv`; see that folder's `SOURCES.md`.
    /// Edit: the first 160 rows of the ~52 KB file, whole ticks only.
    static let nvidiaSMIHopper8GPU = """
        timestamp, index, memory.used [MiB], utilization.gpu [%], power.draw [W], clocks.current.sm [MHz]
        2026/10/07 23:55:29.620, 0, 76277 MiB, 0 %, 121.16 W, 1980 MHz
        2026/10/07 23:55:29.632, 1, 76255 MiB, 0 %, 122.99 W, 1980 MHz
        2026/10/07 23:55:29.639, 2, 76255 MiB, 0 %, 121.51 W, 1980 MHz
        2026/10/07 23:55:29.647, 3, 76255 MiB, 0 %, 124.26 W, 1980 MHz
        2026/10/07 23:55:29.654, 4, 76255 MiB, 0 %, 123.64 W, 1980 MHz
        2026/10/07 23:55:29.662, 5, 76255 MiB, 0 %, 120.11 W, 1980 MHz
        2026/10/07 23:55:29.669, 6, 76255 MiB, 0 %, 124.89 W, 1980 MHz
        2026/10/07 23:55:29.676, 7, 76255 MiB, 0 %, 117.62 W, 1980 MHz
        2026/10/07 23:55:30.684, 0, 76277 MiB, 0 %, 121.05 W, 1980 MHz
        2026/10/07 23:55:30.685, 1, 76255 MiB, 0 %, 122.75 W, 1980 MHz
        2026/10/07 23:55:30.686, 2, 76255 MiB, 0 %, 121.36 W, 1980 MHz
        2026/10/07 23:55:30.687, 3, 76255 MiB, 0 %, 124.11 W, 1980 MHz
        2026/10/07 23:55:30.687, 4, 76255 MiB, 0 %, 123.43 W, 1980 MHz
        2026/10/07 23:55:30.688, 5, 76255 MiB, 0 %, 120.02 W, 1980 MHz
        2026/10/07 23:55:30.689, 6, 76255 MiB, 0 %, 124.75 W, 1980 MHz
        2026/10/07 23:55:30.689, 7, 76255 MiB, 0 %, 117.53 W, 1980 MHz
        2026/10/07 23:55:31.690, 0, 76277 MiB, 0 %, 120.91 W, 1980 MHz
        2026/10/07 23:55:31.691, 1, 76255 MiB, 0 %, 122.60 W, 1980 MHz
        2026/10/07 23:55:31.692, 2, 76255 MiB, 0 %, 121.22 W, 1980 MHz
        2026/10/07 23:55:31.693, 3, 76255 MiB, 0 %, 123.98 W, 1980 MHz
        2026/10/07 23:55:31.693, 4, 76255 MiB, 0 %, 123.28 W, 1980 MHz
        2026/10/07 23:55:31.694, 5, 76255 MiB, 0 %, 119.80 W, 1980 MHz
        2026/10/07 23:55:31.695, 6, 76255 MiB, 0 %, 124.59 W, 1980 MHz
        2026/10/07 23:55:31.695, 7, 76255 MiB, 0 %, 117.34 W, 1980 MHz
        2026/10/07 23:55:32.696, 0, 76277 MiB, 0 %, 120.83 W, 1980 MHz
        2026/10/07 23:55:32.697, 1, 76255 MiB, 0 %, 122.60 W, 1980 MHz
        2026/10/07 23:55:32.698, 2, 76255 MiB, 0 %, 120.86 W, 1980 MHz
        2026/10/07 23:55:32.699, 3, 76255 MiB, 0 %, 123.83 W, 1980 MHz
        2026/10/07 23:55:32.700, 4, 76255 MiB, 0 %, 123.16 W, 1980 MHz
        2026/10/07 23:55:32.701, 5, 76255 MiB, 0 %, 119.69 W, 1980 MHz
        2026/10/07 23:55:32.701, 6, 76255 MiB, 0 %, 124.43 W, 1980 MHz
        2026/10/07 23:55:32.702, 7, 76255 MiB, 0 %, 117.26 W, 1980 MHz
        2026/10/07 23:55:33.703, 0, 76277 MiB, 0 %, 120.69 W, 1980 MHz
        2026/10/07 23:55:33.704, 1, 76255 MiB, 0 %, 122.46 W, 1980 MHz
        2026/10/07 23:55:33.704, 2, 76255 MiB, 0 %, 120.56 W, 1980 MHz
        2026/10/07 23:55:33.705, 3, 76255 MiB, 0 %, 123.71 W, 1980 MHz
        2026/10/07 23:55:33.706, 4, 76255 MiB, 0 %, 122.97 W, 1980 MHz
        2026/10/07 23:55:33.707, 5, 76255 MiB, 0 %, 119.57 W, 1980 MHz
        2026/10/07 23:55:33.707, 6, 76255 MiB, 0 %, 124.29 W, 1980 MHz
        2026/10/07 23:55:33.708, 7, 76255 MiB, 0 %, 117.16 W, 1980 MHz
        2026/10/07 23:55:34.709, 0, 76277 MiB, 0 %, 120.54 W, 1980 MHz
        2026/10/07 23:55:34.710, 1, 76255 MiB, 0 %, 122.34 W, 1980 MHz
        2026/10/07 23:55:34.710, 2, 76255 MiB, 0 %, 120.44 W, 1980 MHz
        2026/10/07 23:55:34.711, 3, 76255 MiB, 0 %, 123.59 W, 1980 MHz
        2026/10/07 23:55:34.712, 4, 76255 MiB, 0 %, 122.85 W, 1980 MHz
        2026/10/07 23:55:34.712, 5, 76255 MiB, 0 %, 119.49 W, 1980 MHz
        2026/10/07 23:55:34.713, 6, 76255 MiB, 0 %, 124.16 W, 1980 MHz
        2026/10/07 23:55:34.714, 7, 76255 MiB, 0 %, 117.06 W, 1980 MHz
        2026/10/07 23:55:35.715, 0, 76277 MiB, 0 %, 120.47 W, 1980 MHz
        2026/10/07 23:55:35.716, 1, 76255 MiB, 0 %, 122.21 W, 1980 MHz
        2026/10/07 23:55:35.717, 2, 76255 MiB, 0 %, 120.27 W, 1980 MHz
        2026/10/07 23:55:35.717, 3, 76255 MiB, 0 %, 123.40 W, 1980 MHz
        2026/10/07 23:55:35.718, 4, 76255 MiB, 0 %, 122.65 W, 1980 MHz
        2026/10/07 23:55:35.719, 5, 76255 MiB, 0 %, 119.30 W, 1980 MHz
        2026/10/07 23:55:35.719, 6, 76255 MiB, 0 %, 123.99 W, 1980 MHz
        2026/10/07 23:55:35.720, 7, 76255 MiB, 0 %, 116.64 W, 1980 MHz
        2026/10/07 23:55:36.721, 0, 76277 MiB, 0 %, 120.36 W, 1980 MHz
        2026/10/07 23:55:36.722, 1, 76255 MiB, 0 %, 122.12 W, 1980 MHz
        2026/10/07 23:55:36.722, 2, 76255 MiB, 0 %, 120.22 W, 1980 MHz
        2026/10/07 23:55:36.723, 3, 76255 MiB, 0 %, 123.29 W, 1980 MHz
        2026/10/07 23:55:36.724, 4, 76255 MiB, 0 %, 122.52 W, 1980 MHz
        2026/10/07 23:55:36.724, 5, 76255 MiB, 0 %, 119.21 W, 1980 MHz
        2026/10/07 23:55:36.725, 6, 76255 MiB, 0 %, 123.87 W, 1980 MHz
        2026/10/07 23:55:36.726, 7, 76255 MiB, 0 %, 116.33 W, 1980 MHz
        2026/10/07 23:55:37.727, 0, 76277 MiB, 0 %, 120.41 W, 1980 MHz
        2026/10/07 23:55:37.728, 1, 76255 MiB, 0 %, 121.99 W, 1980 MHz
        2026/10/07 23:55:37.728, 2, 76255 MiB, 0 %, 120.11 W, 1980 MHz
        2026/10/07 23:55:37.729, 3, 76255 MiB, 0 %, 123.20 W, 1980 MHz
        2026/10/07 23:55:37.730, 4, 76255 MiB, 0 %, 122.37 W, 1980 MHz
        2026/10/07 23:55:37.730, 5, 76255 MiB, 0 %, 119.09 W, 1980 MHz
        2026/10/07 23:55:37.731, 6, 76255 MiB, 0 %, 123.75 W, 1980 MHz
        2026/10/07 23:55:37.732, 7, 76255 MiB, 0 %, 116.22 W, 1980 MHz
        2026/10/07 23:55:38.733, 0, 76277 MiB, 0 %, 120.28 W, 1980 MHz
        2026/10/07 23:55:38.734, 1, 76255 MiB, 0 %, 121.90 W, 1980 MHz
        2026/10/07 23:55:38.734, 2, 76255 MiB, 0 %, 120.05 W, 1980 MHz
        2026/10/07 23:55:38.735, 3, 76255 MiB, 0 %, 123.04 W, 1980 MHz
        2026/10/07 23:55:38.736, 4, 76255 MiB, 0 %, 122.24 W, 1980 MHz
        2026/10/07 23:55:38.737, 5, 76255 MiB, 0 %, 119.03 W, 1980 MHz
        2026/10/07 23:55:38.738, 6, 76255 MiB, 0 %, 123.63 W, 1980 MHz
        2026/10/07 23:55:38.739, 7, 76255 MiB, 0 %, 116.14 W, 1980 MHz
        2026/10/07 23:55:39.740, 0, 76277 MiB, 0 %, 120.13 W, 1980 MHz
        2026/10/07 23:55:39.741, 1, 76255 MiB, 0 %, 121.82 W, 1980 MHz
        2026/10/07 23:55:39.741, 2, 76255 MiB, 0 %, 119.94 W, 1980 MHz
        2026/10/07 23:55:39.742, 3, 76255 MiB, 0 %, 122.92 W, 1980 MHz
        2026/10/07 23:55:39.743, 4, 76255 MiB, 0 %, 122.15 W, 1980 MHz
        2026/10/07 23:55:39.743, 5, 76255 MiB, 0 %, 118.87 W, 1980 MHz
        2026/10/07 23:55:39.744, 6, 76255 MiB, 0 %, 123.52 W, 1980 MHz
        2026/10/07 23:55:39.744, 7, 76255 MiB, 0 %, 116.03 W, 1980 MHz
        2026/10/07 23:55:40.745, 0, 76277 MiB, 0 %, 120.32 W, 1980 MHz
        2026/10/07 23:55:40.746, 1, 76255 MiB, 0 %, 121.72 W, 1980 MHz
        2026/10/07 23:55:40.747, 2, 76255 MiB, 0 %, 119.85 W, 1980 MHz
        2026/10/07 23:55:40.747, 3, 76255 MiB, 0 %, 122.81 W, 1980 MHz
        2026/10/07 23:55:40.748, 4, 76255 MiB, 0 %, 122.01 W, 1980 MHz
        2026/10/07 23:55:40.749, 5, 76255 MiB, 0 %, 118.75 W, 1980 MHz
        2026/10/07 23:55:40.749, 6, 76255 MiB, 0 %, 123.39 W, 1980 MHz
        2026/10/07 23:55:40.750, 7, 76255 MiB, 0 %, 116.00 W, 1980 MHz
        2026/10/07 23:55:41.751, 0, 76277 MiB, 0 %, 120.30 W, 1980 MHz
        2026/10/07 23:55:41.752, 1, 76255 MiB, 0 %, 121.65 W, 1980 MHz
        2026/10/07 23:55:41.752, 2, 76255 MiB, 0 %, 119.77 W, 1980 MHz
        2026/10/07 23:55:41.753, 3, 76255 MiB, 0 %, 122.65 W, 1980 MHz
        2026/10/07 23:55:41.754, 4, 76255 MiB, 0 %, 121.91 W, 1980 MHz
        2026/10/07 23:55:41.754, 5, 76255 MiB, 0 %, 118.69 W, 1980 MHz
        2026/10/07 23:55:41.755, 6, 76255 MiB, 0 %, 123.25 W, 1980 MHz
        2026/10/07 23:55:41.756, 7, 76255 MiB, 0 %, 115.93 W, 1980 MHz
        2026/10/07 23:55:42.756, 0, 76277 MiB, 0 %, 120.19 W, 1980 MHz
        2026/10/07 23:55:42.757, 1, 76255 MiB, 0 %, 121.54 W, 1980 MHz
        2026/10/07 23:55:42.758, 2, 76255 MiB, 0 %, 119.67 W, 1980 MHz
        2026/10/07 23:55:42.759, 3, 76255 MiB, 0 %, 122.56 W, 1980 MHz
        2026/10/07 23:55:42.760, 4, 76255 MiB, 0 %, 121.75 W, 1980 MHz
        2026/10/07 23:55:42.760, 5, 76255 MiB, 0 %, 118.65 W, 1980 MHz
        2026/10/07 23:55:42.761, 6, 76255 MiB, 0 %, 123.18 W, 1980 MHz
        2026/10/07 23:55:42.762, 7, 76255 MiB, 0 %, 115.90 W, 1980 MHz
        2026/10/07 23:55:43.763, 0, 76277 MiB, 0 %, 120.05 W, 1980 MHz
        2026/10/07 23:55:43.764, 1, 76255 MiB, 0 %, 121.44 W, 1980 MHz
        2026/10/07 23:55:43.765, 2, 76255 MiB, 0 %, 119.61 W, 1980 MHz
        2026/10/07 23:55:43.766, 3, 76255 MiB, 0 %, 122.41 W, 1980 MHz
        2026/10/07 23:55:43.766, 4, 76255 MiB, 0 %, 121.64 W, 1980 MHz
        2026/10/07 23:55:43.767, 5, 76255 MiB, 0 %, 118.56 W, 1980 MHz
        2026/10/07 23:55:43.768, 6, 76255 MiB, 0 %, 123.04 W, 1980 MHz
        2026/10/07 23:55:43.769, 7, 76255 MiB, 0 %, 115.74 W, 1980 MHz
        2026/10/07 23:55:44.770, 0, 76277 MiB, 0 %, 119.98 W, 1980 MHz
        2026/10/07 23:55:44.771, 1, 76255 MiB, 0 %, 121.37 W, 1980 MHz
        2026/10/07 23:55:44.772, 2, 76255 MiB, 0 %, 119.56 W, 1980 MHz
        2026/10/07 23:55:44.773, 3, 76255 MiB, 0 %, 122.36 W, 1980 MHz
        2026/10/07 23:55:44.774, 4, 76255 MiB, 0 %, 121.56 W, 1980 MHz
        2026/10/07 23:55:44.774, 5, 76255 MiB, 0 %, 118.45 W, 1980 MHz
        2026/10/07 23:55:44.775, 6, 76255 MiB, 0 %, 122.93 W, 1980 MHz
        2026/10/07 23:55:44.776, 7, 76255 MiB, 0 %, 115.73 W, 1980 MHz
        2026/10/07 23:55:45.777, 0, 76277 MiB, 0 %, 120.11 W, 1980 MHz
        2026/10/07 23:55:45.778, 1, 76255 MiB, 0 %, 121.32 W, 1980 MHz
        2026/10/07 23:55:45.779, 2, 76255 MiB, 0 %, 119.50 W, 1980 MHz
        2026/10/07 23:55:45.780, 3, 76255 MiB, 0 %, 122.28 W, 1980 MHz
        2026/10/07 23:55:45.780, 4, 76255 MiB, 0 %, 121.40 W, 1980 MHz
        2026/10/07 23:55:45.781, 5, 76255 MiB, 0 %, 118.40 W, 1980 MHz
        2026/10/07 23:55:45.782, 6, 76255 MiB, 0 %, 122.88 W, 1980 MHz
        2026/10/07 23:55:45.783, 7, 76255 MiB, 0 %, 115.67 W, 1980 MHz
        2026/10/07 23:55:46.783, 0, 76277 MiB, 100 %, 214.17 W, 1980 MHz
        2026/10/07 23:55:46.784, 1, 76255 MiB, 100 %, 212.25 W, 1980 MHz
        2026/10/07 23:55:46.785, 2, 76255 MiB, 100 %, 210.08 W, 1980 MHz
        2026/10/07 23:55:46.786, 3, 76255 MiB, 100 %, 218.09 W, 1980 MHz
        2026/10/07 23:55:46.787, 4, 76255 MiB, 100 %, 218.44 W, 1980 MHz
        2026/10/07 23:55:46.787, 5, 76255 MiB, 100 %, 213.04 W, 1980 MHz
        2026/10/07 23:55:46.788, 6, 76255 MiB, 100 %, 208.68 W, 1980 MHz
        2026/10/07 23:55:46.789, 7, 76255 MiB, 100 %, 202.16 W, 1980 MHz
        2026/10/07 23:55:47.790, 0, 76277 MiB, 100 %, 232.28 W, 1980 MHz
        2026/10/07 23:55:47.791, 1, 76255 MiB, 100 %, 229.60 W, 1980 MHz
        2026/10/07 23:55:47.792, 2, 76255 MiB, 90 %, 230.43 W, 1980 MHz
        2026/10/07 23:55:47.792, 3, 76255 MiB, 100 %, 235.24 W, 1980 MHz
        2026/10/07 23:55:47.793, 4, 76255 MiB, 100 %, 235.18 W, 1980 MHz
        2026/10/07 23:55:47.794, 5, 76255 MiB, 73 %, 232.09 W, 1980 MHz
        2026/10/07 23:55:47.794, 6, 76255 MiB, 98 %, 235.27 W, 1980 MHz
        2026/10/07 23:55:47.795, 7, 76255 MiB, 100 %, 225.59 W, 1980 MHz
        2026/10/07 23:55:48.796, 0, 76277 MiB, 100 %, 235.81 W, 1980 MHz
        2026/10/07 23:55:48.797, 1, 76255 MiB, 100 %, 232.50 W, 1980 MHz
        2026/10/07 23:55:48.798, 2, 76255 MiB, 100 %, 229.82 W, 1980 MHz
        2026/10/07 23:55:48.799, 3, 76255 MiB, 100 %, 237.75 W, 1980 MHz
        2026/10/07 23:55:48.799, 4, 76255 MiB, 100 %, 237.12 W, 1980 MHz
        2026/10/07 23:55:48.800, 5, 76255 MiB, 100 %, 230.99 W, 1980 MHz
        2026/10/07 23:55:48.801, 6, 76255 MiB, 100 %, 235.06 W, 1980 MHz
        2026/10/07 23:55:48.802, 7, 76255 MiB, 100 %, 228.39 W, 1980 MHz
        """

    /// `PYTHONUNBUFFERED=1 amd-smi metric -p -c -t -u -w 1 --csv` on an 8×MI355X node (watch mode:
    /// whole epoch seconds, a blank line after each tick, `edge` N/A, one clock per XCD).
    ///
    /// Source: repo `SemiAnalysisAI/InferenceX`, file `gpu_metrics.csv` at commit
    /// `3421d894eff39d05ac40b4d59c799b08a7e4965a` (branch `chang/qwen3.5-mi355-di-baseline-and-mtp`,
    /// PR #2557); the command is `start_gpu_monitor` in that commit's `benchmarks/benchmark_lib.sh`
    /// (its `awk` drops the preamble and repeated headers). Edit: the header and the first two ticks,
    /// keeping GPUs 0 and 1 of each and cutting the rows of GPUs 2–7.
    static let amdSMIMetricCSVMI355X = """
        timestamp,gpu,gfx_activity,umc_activity,mm_activity,vcn_activity,jpeg_activity,gfx_busy_inst_xcp_0,jpeg_busy_xcp_0,vcn_busy_xcp_0,socket_power,gfx_voltage,soc_voltage,mem_voltage,throttle_status,power_management,gfx_0_clk,gfx_0_min_clk,gfx_0_max_clk,gfx_0_clk_locked,gfx_0_deep_sleep,gfx_1_clk,gfx_1_min_clk,gfx_1_max_clk,gfx_1_clk_locked,gfx_1_deep_sleep,gfx_2_clk,gfx_2_min_clk,gfx_2_max_clk,gfx_2_clk_locked,gfx_2_deep_sleep,gfx_3_clk,gfx_3_min_clk,gfx_3_max_clk,gfx_3_clk_locked,gfx_3_deep_sleep,gfx_4_clk,gfx_4_min_clk,gfx_4_max_clk,gfx_4_clk_locked,gfx_4_deep_sleep,gfx_5_clk,gfx_5_min_clk,gfx_5_max_clk,gfx_5_clk_locked,gfx_5_deep_sleep,gfx_6_clk,gfx_6_min_clk,gfx_6_max_clk,gfx_6_clk_locked,gfx_6_deep_sleep,gfx_7_clk,gfx_7_min_clk,gfx_7_max_clk,gfx_7_clk_locked,gfx_7_deep_sleep,mem_0_clk,mem_0_min_clk,mem_0_max_clk,mem_0_clk_locked,mem_0_deep_sleep,vclk_0_clk,vclk_0_min_clk,vclk_0_max_clk,vclk_0_clk_locked,vclk_0_deep_sleep,vclk_1_clk,vclk_1_min_clk,vclk_1_max_clk,vclk_1_clk_locked,vclk_1_deep_sleep,vclk_2_clk,vclk_2_min_clk,vclk_2_max_clk,vclk_2_clk_locked,vclk_2_deep_sleep,vclk_3_clk,vclk_3_min_clk,vclk_3_max_clk,vclk_3_clk_locked,vclk_3_deep_sleep,dclk_0_clk,dclk_0_min_clk,dclk_0_max_clk,dclk_0_clk_locked,dclk_0_deep_sleep,dclk_1_clk,dclk_1_min_clk,dclk_1_max_clk,dclk_1_clk_locked,dclk_1_deep_sleep,dclk_2_clk,dclk_2_min_clk,dclk_2_max_clk,dclk_2_clk_locked,dclk_2_deep_sleep,dclk_3_clk,dclk_3_min_clk,dclk_3_max_clk,dclk_3_clk_locked,dclk_3_deep_sleep,fclk_0_clk,fclk_0_min_clk,fclk_0_max_clk,fclk_0_clk_locked,fclk_0_deep_sleep,socclk_0_clk,socclk_0_min_clk,socclk_0_max_clk,socclk_0_clk_locked,socclk_0_deep_sleep,edge,hotspot,mem
        1786553852,0,0,0,N/A,"['N/A', 'N/A', 'N/A', 'N/A']","['N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A']","[0, 0, 0, 0, 0, 0, 0, 0]","[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]","[0, 0, 0, 0]",238,N/A,N/A,N/A,N/A,ENABLED,95,500,2400,DISABLED,ENABLED,94,500,2400,DISABLED,ENABLED,94,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,109,500,2400,DISABLED,ENABLED,109,500,2400,DISABLED,ENABLED,111,500,2400,DISABLED,ENABLED,111,500,2400,DISABLED,ENABLED,2000,2000,2000,N/A,DISABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,1250,1250,1250,N/A,DISABLED,41,1200,1200,N/A,ENABLED,N/A,37,23
        1786553852,1,0,0,N/A,"['N/A', 'N/A', 'N/A', 'N/A']","['N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A']","[0, 0, 0, 0, 0, 0, 0, 0]","[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]","[0, 0, 0, 0]",242,N/A,N/A,N/A,N/A,ENABLED,96,500,2400,DISABLED,ENABLED,94,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,111,500,2400,DISABLED,ENABLED,111,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,2000,2000,2000,N/A,DISABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,1250,1250,1250,N/A,DISABLED,41,1200,1200,N/A,ENABLED,N/A,41,26

        1786553853,0,0,0,N/A,"['N/A', 'N/A', 'N/A', 'N/A']","['N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A']","[0, 0, 0, 0, 0, 0, 0, 0]","[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]","[0, 0, 0, 0]",239,N/A,N/A,N/A,N/A,ENABLED,95,500,2400,DISABLED,ENABLED,94,500,2400,DISABLED,ENABLED,94,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,105,500,2400,DISABLED,ENABLED,105,500,2400,DISABLED,ENABLED,108,500,2400,DISABLED,ENABLED,108,500,2400,DISABLED,ENABLED,2000,2000,2000,N/A,DISABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,1250,1250,1250,N/A,DISABLED,38,1200,1200,N/A,ENABLED,N/A,37,23
        1786553853,1,0,0,N/A,"['N/A', 'N/A', 'N/A', 'N/A']","['N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A', 'N/A']","[0, 0, 0, 0, 0, 0, 0, 0]","[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]","[0, 0, 0, 0]",242,N/A,N/A,N/A,N/A,ENABLED,95,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,107,500,2400,DISABLED,ENABLED,106,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,95,500,2400,DISABLED,ENABLED,2000,2000,2000,N/A,DISABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,59,1900,1900,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,48,1520,1520,N/A,ENABLED,1250,1250,1250,N/A,DISABLED,38,1200,1200,N/A,ENABLED,N/A,41,26
        """
}
