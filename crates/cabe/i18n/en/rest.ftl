# Leftovers worded again from figures: route --explain's deadline line, system's capacity
# line and machine summary, and refusals raised inside the engine crates.

route-local-deadline-unknown = deadline { $time }: not judged (no prefill or decode figure for this machine)
speed-expert-prefill = routed experts: about { $tokens } tokens reach each expert per micro-batch of { $batch } (--ubatch), so their matrix products run at { $pct }% of the dense rate
doctor-err-at-least-1 = { $flag } must be at least 1
doctor-err-catalog-model = --catalog: name a catalog model (see cabe models), e.g. qwen3-coder-30b-a3b
doctor-err-llama-down = llama-server at { $url } is not answering, so there is no configuration to diagnose
doctor-err-no-model = name an Ollama model (e.g. cabe doctor qwen3-coder:30b), or give --llama-server URL
doctor-err-llama-ctx = --runtime llama-server needs the context in force (its -c): --ctx N
doctor-err-apply-not-file = --apply { $path }: not a file
