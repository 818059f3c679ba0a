# cabe fit's table, verdict, changes, speed and --explain (and the machine line other
# commands share), in English.

machine-catalog = { $name } (catalog: { $id })
machine-memory-as-sold = --memory { $given } read as { $bytes } (memory is sold in GiB; --si for 10^9)
machine-memory-si = --memory { $given } read as { $bytes_raw } bytes (SI)
machine-memory = --memory { $given } = { $bytes }
machine-this = this machine: { $summary }
machine-unreadable = {" "}(memory could not be read; use --memory or --on)
machine-detected = {" "}(detected; `cabe system` shows how)

fit-changes = it would fit with one of these changes:
fit-change = { $total } in all, { $spare } to spare
fit-as-runtime = as { $runtime }:
fit-calibrated-on = calibrated on { $when }
fit-efficiency-ranges = efficiency ranges from data/speed.toml
fit-bandwidth-unknown = bandwidth unknown
fit-speed-on = speed on { $backend } ({ $bw }; { $basis }):
fit-per-gpu = per GPU (llama.cpp places whole layers on each card, each with its layers' KV cache and its own compute buffer; `cabe plan` for more):
fit-per-gpu-row-layers = layers
fit-per-gpu-none = none
fit-per-gpu-of = { $total } of { $cap }, { $spare } to spare
fit-per-gpu-short = {" "} { $cards } short: the pooled total fits, but not card by card (a shorter --ctx, or cabe plan --tensor-split)
fit-per-gpu-max = {" "} largest context that fits every card: { $ctx }
fit-per-gpu-none-fit = {" "} not even 256 tokens fit every card
fit-params-moe = { $total }B params ({ $active }B active)
fit-params = { $total }B params
fit-from-file = from file
fit-from-url = from URL
fit-from-catalog = catalog, sized with llama-quantize's rules
fit-settings = { $runtime } · context { $ctx } per sequence × { $seqs } · KV { $kv } · flash attention { $fa ->
    [on] on
   *[off] off
} · native context { $native }
fit-on = on { $machine }
fit-col-note = note
fit-row-weights = weights
fit-row-kv = KV cache
fit-row-compute = compute buffer
fit-row-output = output buffer
fit-row-reserve = runtime reserve
fit-row-total = total
fit-row-available = available
fit-note-bpw = { $bpw } bits/weight
fit-note-recurrent = incl. { $bytes } recurrent state
fit-note-swa = sliding-window layers keep a short window
fit-note-compute = estimate, one micro-batch
fit-note-backend = { $backend } backend
fit-note-os = after { $bytes } kept for the OS
fit-max-native = the full native context ({ $ctx }) fits
fit-max-largest = largest context that fits: { $ctx }
fit-max-none = not even a 256-token context fits
fit-verdict-experts = FITS WITH EXPERTS ON THE CPU: { $gpu } on the GPU of { $cap } ({ $gpu_gb } of { $cap_gb }), { $spare } to spare, and the routed experts of { $layers } layers ({ $experts }) in system RAM; { $max }.
fit-verdict-fits = FITS: { $total } of { $cap } ({ $total_gb } of { $cap_gb }), { $spare } to spare; { $max }.
fit-verdict-offload = FITS WITH CPU OFFLOAD: { $total } needed, { $vram } of VRAM; the rest runs from system RAM, slower; { $max }.
fit-verdict-no = DOES NOT FIT: { $total } needed, { $cap } available ({ $short } short); { $max }.
explain-origin-file = summed from the file's tensor infos
explain-origin-catalog = { $n } tensors built from the architecture, typed by llama-quantize's { $quant } rules
explain-mix = { $bytes } { $type } in { $n } tensors
explain-weights = weights: { $params } params, { $origin }: { $mix } = { $bytes } ({ $bpw } bits/weight)
explain-kv = KV cache: { $line }
explain-compute = compute: { $line }
explain-output = output buffer: { $vocab } vocab × { $seqs } seq × 4 bytes = { $bytes }
explain-capacity = capacity: { $line }

speed-decode = decode: { $empty } with an empty context; { $at } at { $tokens } tokens
speed-cpu-experts = { $pct }% of the bytes per token come from system RAM (the experts of { $layers } layers kept on the CPU): that share dominates
speed-cpu-offload = { $pct }% of the bytes per token come from system RAM (CPU offload): that share dominates
speed-bw-unknown = decode: this machine's memory bandwidth is unknown (use --on HARDWARE_ID)
speed-prefill-given = prefill: { $tokens } tokens ÷ { $rate } tok/s (given) = { $time }
speed-prefill = prefill of { $tokens } tokens: { $range } → first token after { $fast }–{ $slow }
speed-prefill-unknown = prefill of { $tokens } tokens: no compute figure for this machine; give --prefill-rate (a measured rate){ $calibrate ->
    [yes] {" "}or run `cabe calibrate`
   *[no] {""}
}
speed-small-batch = prefill is predicted for micro-batches of { $min }+ tokens; this one is { $batch }: expect it slower (llama.cpp's CPU prefill ran 1.1–3× slower at 16–64-token batches)
speed-timeout = timeout: first token after { $ttft } s { $ok ->
    [yes] <=
   *[no] >
} { $limit } s client timeout{ $range }{ $ok ->
    [yes] {""}
   *[no] : the client gives up before the model answers
}
speed-timeout-range = {" "}(typical; range { $low }–{ $high })
speed-timeout-unknown = timeout: cannot judge without a prefill rate (--prefill-rate) and --prompt-tokens
speed-claim-over = claim: { $claim } tok/s is above the { $ceiling } tok/s ceiling ({ $bw } GB/s ÷ { $gb } GB read per token): it needs speculative decoding, smaller weights, or it is not this model
speed-claim-within = claim: { $claim } tok/s is within the { $ceiling } tok/s ceiling
speed-range = { $low }–{ $high } { $unit } (typical { $typical }; ceiling { $bound })
speed-range-over-fp16 = { $low }–{ $high } { $unit } (typical { $typical }; above the listed FP16 rate, as int8 kernels run)
