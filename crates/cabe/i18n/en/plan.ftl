# cabe plan: the split table, the decode ceiling, the engine line, the commands' comments,
# --explain and its errors, in English.

plan-title = { $model } { $quant } at { $ctx } tokens on { $machine }
plan-col-device = device
plan-col-layers = layers
plan-col-weights = weights
plan-col-kv = KV cache
plan-col-compute = compute
plan-col-host = host
plan-col-total = total
plan-col-capacity = capacity
plan-col-headroom = headroom
plan-layers-output = {" "}+ output
plan-output = output
plan-none = none
plan-machine-devices = { $n } GPUs given by --devices
plan-device-host-rpc = host { $n } (rpc-server): { $name }
plan-device-host-server = host { $n } (llama-server): { $name }
plan-host = host (the machine running llama-server): token embedding { $embd } + logits { $logits } in its RAM
plan-split = split: { $shares } ({ $how })
plan-split-default = llama.cpp's default: in proportion to each device's free memory
plan-max-ctx = largest context that fits every device: { $ctx } tokens per sequence
plan-max-ctx-none = largest context that fits every device: none (not even 256 tokens)
plan-verdict-fits = verdict: fits on every device
plan-verdict-short = verdict: does not fit: { $devices } short (a shorter --ctx, a smaller --quant, --kv-type q8_0, or another --tensor-split)
plan-ceiling-link = decode ceiling: { $tps } tok/s (memory { $mem_ms } ms + link { $link_ms } ms per token: { $crossings } crossing(s) × 2 × ({ $bytes } B at { $gbps } Gbit/s + { $latency } µs))
plan-ceiling-no-link = decode ceiling: { $tps } tok/s from memory alone; give --link ID (cabe plan --help) or --link-gbps for the link's share
plan-ceiling = decode ceiling: { $tps } tok/s (each device reads its layers in turn)
plan-ceiling-unknown = decode ceiling: unknown (a device's bandwidth is unknown; --bandwidth)
plan-decode = decode: { $low }–{ $high } tok/s (typical { $typical }; ceiling { $bound }){ $link }
plan-decode-link = , the link adding { $ms } ms per token
plan-prefill = prefill of { $tokens } tokens: { $low }–{ $high } tok/s, first token in { $ttft } (typical){ $link }
plan-prefill-link = , the link adding { $ms } ms per prompt token
plan-engine-llama = engine: llama.cpp (llama.cpp runs GGUF files on any mix of devices (CUDA, ROCm, Metal, Vulkan, CPU) and joins hosts with its RPC backend; its layer split needs no divisibility)
plan-commands = commands:
plan-cmd-rpc-host = # on host { $n } (a trusted network only: rpc-server has no authentication)
plan-cmd-head-host = # on host { $n }
plan-explain = how: llama.cpp's layer split (src/llama-model.cpp load_tensors): layer i of n+1 (the last is the output layer) goes to the first device whose cumulative share exceeds i/(n+1); each layer's KV cache sits with it; the token embedding stays on the host's CPU; each device reserves the attention/FFN peaks of its layers, the output device the logits peak too.

plan-vllm-title = { $model } (BF16) with vLLM on { $machine }: tensor parallel { $tp } × pipeline parallel { $pp }, { $heads } KV head(s) per GPU, --max-model-len { $ctx }
plan-vllm-col-stage = stage
plan-vllm-col-weights = weights / GPU
plan-vllm-col-kv = KV / GPU
plan-vllm-col-budget = budget (0.9)
plan-vllm-col-kv-tokens = KV tokens
plan-vllm-node = node { $n }
plan-vllm-verdict = verdict: { $fits ->
    [yes] vLLM starts
   *[no] vLLM refuses: the KV cache does not hold --max-model-len
}; the longest --max-model-len every stage holds: { $len }
plan-vllm-note-profile = note: vLLM profiles its activation peak and CUDA graphs at start-up; they come out of the headroom shown (not modelled)
plan-vllm-note-swa = note: sliding-window layers are counted at the full length (an upper bound)
plan-vllm-cmd-head = # on the head node
plan-vllm-cmd-node = # on node { $n }
plan-vllm-cmd-joined = # on the head node, once every node has joined (ray status)

plan-err-count = '{ $n }' is not a count
plan-err-machines = { $n } machines: give 1 to 64
plan-err-no-id = no machine id after the count
plan-err-which-devices = say which devices: --on ID (a multi-GPU machine), --on 2x ID (machines joined by RPC) or --devices 24GiB,24GiB
plan-err-native = the model does not say its native context; give --ctx N
plan-err-split-count = --tensor-split has { $n } values for { $devices } devices
plan-err-split-zero = the split weights must be non-negative numbers, not all zero
plan-err-vllm-file = --engine vllm plans a catalog model (vLLM loads its Hugging Face checkpoint, not a GGUF)
plan-err-vllm-sizes = cannot infer the tensor and pipeline sizes; give --tp and --pp
plan-err-vllm-zero = tensor and pipeline parallel sizes must be at least 1
plan-err-vllm-recurrent = { $model } has recurrent layers; cabe does not model vLLM's cache for them
plan-err-vllm-heads = vLLM refuses it: "Total number of attention heads ({ $heads }) must be divisible by tensor parallel size ({ $tp })."
plan-err-vllm-replicate = vLLM refuses it: { $tp } GPUs cannot replicate { $kv } KV heads evenly (QKVParallelLinear: divide({ $tp }, { $kv }))
plan-err-vllm-divide = vLLM refuses it: { $kv } KV heads do not divide over { $tp } GPUs (QKVParallelLinear: divide({ $kv }, { $tp }))
plan-err-vllm-pp = pipeline parallel size ({ $pp }) cannot exceed the number of layers ({ $layers })
plan-err-share = '{ $s }' is not a share (a number ≥ 0)
