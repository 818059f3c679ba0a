# The command line's help (what clap shows for --help) and its frame, in English. The
# English help is clap's own (the doc comments in cli.rs); these English lines keep the two
# catalogs aligned and say the same.

cli-about = Will this LLM fit this machine, and by how much?
cli-long-about = cabe sizes a model (from its catalog entry or a GGUF file) the way llama.cpp loads it: weights, KV cache, compute and output buffers, overheads, against a machine's memory.
cli-help = Print help
cli-version = Print version
cli-usage = Usage:
cli-options = Options
cli-arguments = Arguments
cli-commands = Commands
cli-help-command = Print this message or the help of the given subcommand(s)
about-fit = Will MODEL (catalog id, GGUF file or URL) fit: the memory breakdown, headroom and the largest context that fits.
about-inspect = Show a GGUF file's header (local, or a URL read with HTTP range requests): metadata, tensors, parameter count, file type.
about-models = List the built-in model catalog.
about-hardware = List the built-in hardware catalog.
about-system = What cabe detects about this machine: CPU, memory, GPUs, and the memory a model may use.
about-scan = Find the models already on disk (Ollama, Hugging Face cache, LM Studio, llama.cpp cache, folders, URLs) and say which fit this machine.
about-recommend = What to run here: the catalog's models ranked for a use (general, chat, code, reasoning, long-context, agents), each at the best quantization that fits, with its memory, speed and quality cost; and the near misses.
about-buy = What to buy for a model and workload: every catalog machine, whether it fits, its headroom, largest context, decode and first-token time, price, price per GB and per tok/s; the ones that meet it cheapest first, and what the next tier up adds.
about-plan = One model over several GPUs or machines (llama.cpp's layer split, RPC between hosts): per device its layers, weights, KV cache, compute buffer and headroom, the decode ceiling with the link's share, and the commands to run.
about-route = Which tasks of a workload run here and which go to a hosted model (whose context holds them, at its per-token price): private tasks never leave; the monthly cost.
about-doctor = Diagnose an Ollama model (or a running llama-server) against the workload and this machine: the context in force, truncation, timeouts, memory; and write the fix.
about-calibrate = Measure this machine's memory read bandwidth and compute throughput and store them; speed predictions on this machine use them.
about-bench = Run the model of a running Ollama or llama-server at several prompt sizes: measured against predicted prefill, time to first token and decode; stored in the history.
about-history = The bench runs stored on this machine, and the correction they give predictions.
about-curve = Decode and prefill rate and time to first token against context length: terminal charts, an SVG, and where a client timeout is crossed.
about-serve = A local web page and read-only JSON API over fit, curve, recommend, buy, plan, route, doctor (shown, never applied) and the catalogs (http://127.0.0.1:8431/ by default; the API described at /api/openapi.json).
about-mcp = A Model Context Protocol server on stdin/stdout for coding agents: the tools fit, recommend, plan, doctor (shows the fix, never applies it) and check_prompt.
