// What a stream-mode variant asked of the worker's streaming and how it polled: kept in
// run.json per variant, so the tuning answer can name the settings to put on the worker.
/** The stream batch fields sent in each request (absent: the worker's defaults) and the polling. */
export interface StreamingSettings {
  max_batch_size?: number;
  min_batch_size?: number;
  batch_size_growth_factor?: number;
  pollIntervalMs: number;
  /** Long-poll ?wait= on /stream (0: plain polls). */
  pollWaitMs: number;
}
