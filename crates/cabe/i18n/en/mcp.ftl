# cabe mcp's words in English: the server's instructions, the tools' descriptions and their
# input schemas' descriptions (the same text as the doc comments rmcp and schemars compile in,
# which English keeps serving byte for byte; a test holds the two equal), and its refusals.

mcp-instructions = cabe sizes local LLMs the way llama.cpp loads them. Before sending a long prompt to a local model, call check_prompt: it says whether the prompt fits the context in force and arrives before the client's timeout, and what to change if not. fit and recommend answer for catalog models on a machine, plan splits one over several GPUs or hosts; doctor diagnoses an installed Ollama model or a running llama-server.

## Refusals (a tool's error, one line)

mcp-refuse-both = give model or ollama_model, not both
mcp-refuse-no-model = name the model: model (a catalog id, with ctx and runtime) or ollama_model (an installed Ollama model)
mcp-refuse-prompt-tokens = prompt_tokens: the prompt's size is required
mcp-refuse-not-string = { $field }: must be a string
mcp-refuse-model-required = { $field }: a catalog model id or alias is required
mcp-refuse-path = { $field }: '{ $value }' is a file path or URL; name a catalog model (cabe models)
mcp-refuse-unknown-field = unknown field '{ $field }' (known: { $known })
mcp-refuse-not-bool = { $field }: must be true or false
mcp-refuse-not-value = { $field }: must be a string or a number
mcp-tool-failed = the tool failed: { $error }

## Tools (mcp-tool-NAME), their input schemas (mcp-input-NAME), their fields
## (mcp-param-NAME-FIELD) and the shared value types (mcp-def-TYPE)

mcp-tool-check-prompt = Will a prompt of N tokens fit the context in force for this model, and arrive before the client's timeout? The problems (doctor's findings: ctx-below-native, prompt-over-ctx, prefill-over-timeout, …) and what to change. Name the model as a catalog `model` with the setup given (`ctx`, `runtime`), or as an installed `ollama_model` read from its store and server.
mcp-input-check-prompt = `check_prompt`: will a prompt fit the context in force, and arrive before the timeout? Name the model one of two ways: `model` (a catalog model, with the setup given here: `ctx`, `runtime`, `quant`) or `ollama_model` (an installed Ollama model, whose context in force is read from its store and server).
mcp-param-check-prompt-ctx = With model: the context in force, tokens per sequence (Ollama: the model's num_ctx, default the version's default; llama-server: its -c, required).
mcp-param-check-prompt-memory = A machine known only by its memory: 64GB, 24GiB ("GB" as sold = GiB unless si).
mcp-param-check-prompt-model = A catalog model id or alias (qwen3-coder-30b-a3b, or its Ollama name qwen3-coder:30b), sized from the catalog. Not with ollama_model.
mcp-param-check-prompt-models-dir = Ollama's model store (default $OLLAMA_MODELS, else ~/.ollama/models).
mcp-param-check-prompt-num-ctx = options.num_ctx the client sends with each request (overrides the Modelfile).
mcp-param-check-prompt-offline = Ask no server; read only the store.
mcp-param-check-prompt-ollama-host = The Ollama server to ask (default $OLLAMA_HOST, else 127.0.0.1:11434).
mcp-param-check-prompt-ollama-model = An installed Ollama model, name[:tag] (qwen3-coder:30b-v-128k), read from its store and server. Not with model.
mcp-param-check-prompt-ollama-version = The installed Ollama version when the server cannot be asked (it sets the defaults).
mcp-param-check-prompt-on = A catalog machine id (see the hardware catalog, `cabe hardware`), e.g. mac-studio-m3-ultra-96gb. Not with memory.
mcp-param-check-prompt-os-reserve = Memory kept for the OS, default 2GiB.
mcp-param-check-prompt-prefill-rate = Prefill speed, tokens/s (llama-bench's pp, llama-server's timings.prompt_per_second); default: predicted from the machine's compute.
mcp-param-check-prompt-prompt-tokens = The prompt's size, tokens.
mcp-param-check-prompt-quant = With model: the whole-file quantization, Q4_K_M (default), Q8_0, F16, …
mcp-param-check-prompt-runtime = With model: ollama (default) or llama-server.
mcp-param-check-prompt-si = Read GB/MB/TB as powers of 10.
mcp-param-check-prompt-timeout = The client's request timeout: seconds, or "300s", "5m".
mcp-def-NumberOrText = A value written as a number (32768, 300) or as text ("32k", "5m", "64GB").

mcp-tool-doctor = Diagnose an installed Ollama model (its store, its server, the OLLAMA_* variables) or a running llama-server against a workload and the machine: the settings in force, findings (truncation, timeouts, memory) and the fix written out (what `cabe doctor --json` prints). The fix is shown, never applied.
mcp-input-doctor = `doctor`: diagnose an Ollama model or a running llama-server. Shows the fix; never writes it.
mcp-param-doctor-catalog = model is a catalog model id or alias, sized from the catalog with the setup given (ctx, runtime, quant); no store or server is read.
mcp-param-doctor-ctx = With catalog: the context in force, tokens per sequence.
mcp-param-doctor-http-timeout = Connect/read timeout for servers: seconds or "2s" (default 2 s).
mcp-param-doctor-llama-server = A llama-server URL: diagnosed when no Ollama model is named.
mcp-param-doctor-memory = A machine known only by its memory: 64GB, 24GiB ("GB" as sold = GiB unless si).
mcp-param-doctor-model = The Ollama model, name[:tag] (e.g. qwen3-coder:30b); with llama_server: optional, or the GGUF path that server runs.
mcp-param-doctor-models-dir = Ollama's model store (default $OLLAMA_MODELS, else ~/.ollama/models).
mcp-param-doctor-name = Name for the corrected Ollama model (default: from the old tag).
mcp-param-doctor-num-ctx = options.num_ctx the client sends with each request (overrides the Modelfile).
mcp-param-doctor-offline = Ask no server; read only the store.
mcp-param-doctor-ollama-host = The Ollama server to ask (default $OLLAMA_HOST, else 127.0.0.1:11434).
mcp-param-doctor-ollama-version = The installed Ollama version when the server cannot be asked (it sets the defaults).
mcp-param-doctor-on = A catalog machine id (see the hardware catalog, `cabe hardware`), e.g. mac-studio-m3-ultra-96gb. Not with memory.
mcp-param-doctor-os-reserve = Memory kept for the OS, default 2GiB.
mcp-param-doctor-prefill-rate = Prefill speed, tokens/s (llama-bench's pp, llama-server's timings.prompt_per_second); default: predicted from the machine's compute.
mcp-param-doctor-prompt-tokens = The client's prompt size, tokens.
mcp-param-doctor-quant = With catalog: the whole-file quantization, Q4_K_M (default), Q8_0, F16, …
mcp-param-doctor-runtime = With catalog: ollama (default) or llama-server.
mcp-param-doctor-si = Read GB/MB/TB as powers of 10.
mcp-param-doctor-timeout = The client's request timeout: seconds, or "300s", "5m".

mcp-tool-fit = Will a catalog model fit a machine, with what headroom, the largest context that fits, the changes that would make it fit, and decode/prefill speed (what `cabe fit MODEL --json` prints).
mcp-input-fit = `fit`: will a catalog model fit, and how fast.
mcp-param-fit-claimed-decode = A decode rate someone claims, tokens/s: is it under the bandwidth ceiling?
mcp-param-fit-cpu-moe = Every layer's routed experts in system RAM (--cpu-moe).
mcp-param-fit-ctx = Context per sequence: tokens (32768, "32k"), "native" (default) or "max".
mcp-param-fit-explain = Add the working behind the answer (the arithmetic, what was left out).
mcp-param-fit-flash-attn = Flash attention, default on.
mcp-param-fit-gen-tokens = Tokens generated after the prompt.
mcp-param-fit-kv-type = KV cache type: f32, f16 (default), bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
mcp-param-fit-memory = A machine known only by its memory: 64GB, 24GiB ("GB" as sold = GiB unless si).
mcp-param-fit-model = A catalog model id or alias (e.g. qwen3-coder-30b-a3b); file paths and URLs are refused.
mcp-param-fit-n-cpu-moe = Routed experts of the first N layers in system RAM (--n-cpu-moe). Not with cpu_moe.
mcp-param-fit-on = A catalog machine id (see the hardware catalog, `cabe hardware`), e.g. mac-studio-m3-ultra-96gb. Not with memory.
mcp-param-fit-os-reserve = Memory kept for the OS, default 2GiB.
mcp-param-fit-parallel = Parallel sequences, each with the full context (default 1).
mcp-param-fit-prefill-rate = A measured prefill rate, tokens/s, used instead of the prediction.
mcp-param-fit-prompt-tokens = A prompt of N tokens: its prefill time and time to first token.
mcp-param-fit-quant = Whole-file quantization: Q4_K_M (default), Q8_0, F16, …
mcp-param-fit-runtime = The program that runs the model: llama-server (default), llama-cli, llama-completion, ollama.
mcp-param-fit-si = Read GB/MB/TB as powers of 10.
mcp-param-fit-timeout = The client's timeout: seconds, or "300s", "5m".
mcp-param-fit-ubatch = Physical micro-batch (-ub), default 512.
mcp-def-OnOff = Flash attention: true/false, or "on"/"off".

mcp-tool-plan = Split one catalog model over several GPUs or machines on an existing engine: llama.cpp's layer split (local GPUs or rpc-server hosts over a link) or vLLM's tensor and pipeline parallelism. Per device: layers, weights, KV cache and headroom; the largest context that fits every device; decode and prefill over the link; the commands to run (what `cabe plan MODEL --json` prints).
mcp-input-plan = `plan`: one catalog model over several GPUs or machines on llama.cpp (layer split, RPC) or vLLM (tensor and pipeline parallel).
mcp-param-plan-bandwidth = Memory bandwidth of each device given by devices, GB/s.
mcp-param-plan-cpu-moe = Every layer's routed experts in system RAM (--cpu-moe).
mcp-param-plan-ctx = Context per sequence: tokens (32768, "32k"), "native" (default) or "max".
mcp-param-plan-devices = The devices by memory, comma-separated ("24GB,24GB,16GB"). Not with on.
mcp-param-plan-engine = The engine: llama-cpp (default) or vllm.
mcp-param-plan-flash-attn = Flash attention, default on.
mcp-param-plan-kv-type = KV cache type: f32, f16 (default), bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
mcp-param-plan-link = The link between machines, an id of cabe's link catalog (e.g. 10gbe); not with link_gbps.
mcp-param-plan-link-gbps = The link's rate in Gbit/s.
mcp-param-plan-link-latency-us = The link's one-way latency in µs (default 50).
mcp-param-plan-model = A catalog model id or alias (e.g. llama-3.1-70b); file paths and URLs are refused.
mcp-param-plan-n-cpu-moe = Routed experts of the first N layers in system RAM (--n-cpu-moe). Not with cpu_moe.
mcp-param-plan-on = The devices as catalog machines: "2x rtx-4090", or one id. Not with devices.
mcp-param-plan-os-reserve = Memory kept back for the operating system on each device ("2GiB").
mcp-param-plan-parallel = Parallel sequences, each with the full context (default 1).
mcp-param-plan-pp = vLLM's pipeline-parallel size.
mcp-param-plan-prompt-tokens = A prompt of N tokens: its prefill time over the split.
mcp-param-plan-quant = Whole-file quantization: Q4_K_M (default), Q8_0, F16, …
mcp-param-plan-runtime = The program that runs the model: llama-server (default), llama-cli, llama-completion, ollama.
mcp-param-plan-tensor-split = llama.cpp's --tensor-split weights, comma-separated ("3,1"); default: by free memory.
mcp-param-plan-tp = vLLM's tensor-parallel size.
mcp-param-plan-ubatch = Physical micro-batch (-ub), default 512.

mcp-tool-recommend = The catalog's models ranked for a use (general, chat, code, reasoning, long-context, agents) on a machine, each at the best quantization that fits, with memory, speed and quality cost, and the near misses (what `cabe recommend --json` prints).
mcp-input-recommend = `recommend`: what to run, ranked for a use.
mcp-param-recommend-bandwidth = The machine's memory bandwidth in GB/s, for a machine known only by memory.
mcp-param-recommend-cpu-moe = Every layer's routed experts in system RAM (--cpu-moe).
mcp-param-recommend-family = Only models whose family contains this (qwen3, gemma3, …).
mcp-param-recommend-flash-attn = Flash attention, default on.
mcp-param-recommend-kv-type = KV cache type: f32, f16 (default), bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
mcp-param-recommend-license = Only models whose licence contains this (apache-2.0, mit, …).
mcp-param-recommend-max-quality-loss = The largest perplexity increase over F16 a quantization may cost, percent.
mcp-param-recommend-max-ttft = The longest typical time to the first token of prompt_tokens: seconds or "30s".
mcp-param-recommend-memory = A machine known only by its memory: 64GB, 24GiB ("GB" as sold = GiB unless si).
mcp-param-recommend-min-ctx = The context every pick must hold, tokens (default: the use's).
mcp-param-recommend-min-decode = The slowest typical decode rate to accept, tokens/s.
mcp-param-recommend-n-cpu-moe = Routed experts of the first N layers in system RAM (--n-cpu-moe). Not with cpu_moe.
mcp-param-recommend-on = A catalog machine id (see the hardware catalog, `cabe hardware`), e.g. mac-studio-m3-ultra-96gb. Not with memory.
mcp-param-recommend-os-reserve = Memory kept for the OS, default 2GiB.
mcp-param-recommend-parallel = Parallel sequences, each with the full context (default 1).
mcp-param-recommend-prompt-tokens = A prompt of N tokens, for max_ttft and the time to first token.
mcp-param-recommend-runtime = The program that runs the model: llama-server (default), llama-cli, llama-completion, ollama.
mcp-param-recommend-si = Read GB/MB/TB as powers of 10.
mcp-param-recommend-ubatch = Physical micro-batch (-ub), default 512.
mcp-param-recommend-use = What the model is for: general (default), chat, code, reasoning, long-context, agents.
