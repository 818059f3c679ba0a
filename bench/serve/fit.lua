-- wrk: POST /api/fit with the seed case (Qwen3-Coder-30B-A3B on 64 GB), and print p50/p99.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model": "qwen3-coder-30b-a3b", "memory": "64GB", "ctx": "native", "prompt_tokens": 146760, "timeout": 300}'
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
