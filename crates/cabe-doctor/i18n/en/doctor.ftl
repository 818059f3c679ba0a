# cabe doctor's findings, the fix and the settings in force, in English.
# Numbers arrive formatted for the language; commands, flags, variables and ids are never
# translated. Each message is one line (a runtime's own words stay as they are).

## A setup in words, and its memory

setup-words = { $ctx } tokens × { $slots } { $slots ->
    [one] slot
   *[other] slots
}, KV { $kv }{ $fa ->
    [off] , flash attention off
   *[on] {""}
}
memory-fits = fits, { $spare } to spare
memory-spills = fits only by spilling { $spill } to system RAM
memory-short = does not fit, { $short } short
memory-summary = { $setup }: needs { $total } ({ $total_bin }: weights { $weights } + KV { $kv } + compute and reserves { $rest }) of { $cap } available → { $tail }

## Prompt counts

count-counted = {" "}(counted by { $by })
count-estimated = {" "}(an estimate: { $bytes } bytes ÷ 4)

## Where the settings in force come from

src-request-num-ctx = options.num_ctx { $n } sent with each request
src-num-ctx-param = PARAMETER num_ctx { $n } in { $where }
src-context-length-env = OLLAMA_CONTEXT_LENGTH={ $n } from { $where }; the model sets no num_ctx
src-default-ctx = no num_ctx is set anywhere, so { $words }{ $assumed ->
    [yes] {" "}(version assumed)
   *[no] {""}
}
src-fa-auto = auto: on where the backend supports it (assumed on)
src-kv-fa-off = f16: flash attention is off
src-kv-default = Ollama default f16
src-parallel-default-invalid = default 1
src-parallel-unset = OLLAMA_NUM_PARALLEL unset: { $why }{ $assumed ->
    [yes] {" "}(version assumed)
   *[no] {""}
}
src-parallel-auto-too-many = OLLAMA_NUM_PARALLEL unset: { $why }; { $slots } do not fit, so 1
src-llama-ctx = n_ctx per slot from { $from }
src-llama-slots = total_slots from { $from }
src-llama-kv = llama-server default (not reported by { $from })
src-llama-fa = llama-server default -fa auto (not reported by { $from })
parallel-before-0-2 = before v0.2.0 Ollama served one request at a time
parallel-0-2 = v0.2.0–v0.6.6: auto, 4 slots (1 when memory is tight)
parallel-0-6-7 = v0.6.7–v0.9.x: auto, 2 slots (1 when memory is tight)
parallel-0-10 = v0.10.0+: 1 slot
ctx-default-fixed = Ollama { $range } default: { $tokens }
ctx-default-raised = Ollama { $range } default: { $tokens }, raised to { $raised } for { $arch } with ≥ { $gib } GiB of VRAM
ctx-default-vram = Ollama { $range } default by total VRAM ({ $gib } GiB: ≥ 47 GiB → 262144, ≥ 23 GiB → 32768, else 4096): { $tokens }
note-version-unrecognised = Ollama version '{ $version }' not recognised: assuming the current defaults (v0.15.5+)
note-version-unknown = Ollama version unknown (server not reachable; --ollama-version X.Y.Z sets it): assuming the current defaults (v0.15.5+)
note-context-length-ignored = OLLAMA_CONTEXT_LENGTH={ $n } is ignored by Ollama { $version } (it exists from v0.5.13)
note-prefill-rate = give --prefill-rate (tokens/s: llama-bench's pp figure, or llama-server's timings.prompt_per_second) to check the prefill time against --timeout

## Findings

env-invalid-title = { $var }={ $value } is not valid
env-invalid-message = { $var } is '{ $value }' ({ $source }), which Ollama does not accept: it falls back to its default.
env-invalid-fix = Set { $var } to { $expected }, or unset it.
expected-bytes = a number of bytes
expected-tokens = a number of tokens
expected-bool = 1 or 0
expected-kv = f16, q8_0 or q4_0
expected-slots = a number of slots ≥ 1

ctx-over-native-title = configured context { $configured } is above the model's { $native }
ctx-over-native-message = The configured context is { $configured } tokens ({ $source }), more than the model's { $native } ({ $arch }.context_length). Current Ollama clamps it to { $native } (older versions refused to load: "requested context size too large for model").
ctx-over-native-fix = Set num_ctx to at most { $native_raw }.

kv-type-ignored-title = OLLAMA_KV_CACHE_TYPE={ $value } has no effect with flash attention off
kv-type-ignored-message = OLLAMA_KV_CACHE_TYPE={ $value } is set, but Ollama applies it only with flash attention on, and OLLAMA_FLASH_ATTENTION is off: the cache stays f16.
kv-type-ignored-fix = Set OLLAMA_FLASH_ATTENTION=1 as well (and restart the server).

removed-parameter-title = PARAMETER { $name } does nothing
removed-parameter-message = PARAMETER { $name } { $value } is set, but Ollama removed { $name } in { $since }: it is ignored.
removed-parameter-fix = Drop PARAMETER { $name } from the Modelfile.

setup-refused-title = llama.cpp will not load the model with these cache settings
setup-refused-message = { $why } ({ $setup }).
setup-refused-fix = Use an f16 KV cache, or turn flash attention on with one quantized type for K and V.

ctx-below-native-title = configured context { $ctx } is below the model's native { $native }
ctx-below-native-message = { $model } runs with a { $ctx }-token context ({ $source }), but the model itself handles { $native } ({ $arch }.context_length in its GGUF): { $ctx } is { $pct }% of { $native }. A tag or Modelfile chosen on the day of install is a hard ceiling, not a property of the model.
ctx-below-native-fix-raise = Raise the context to { $ctx }{ $full ->
    [yes] {" "}(the model's full context)
   *[no] {""}
}: on this machine { $summary }.
ctx-below-native-fix-enough = Nothing to do for this prompt ({ $ctx } tokens of context hold it with room for the answer).
ctx-below-native-fix-enough-upto = Nothing to do for this prompt ({ $ctx } tokens of context hold it with room for the answer); if prompts grow, this machine holds up to { $setup }.
ctx-below-native-fix-memory = Memory is the limit here: this machine holds at most { $ctx } tokens of this model ({ $setup }).
ctx-below-native-fix-no-more = Memory is the limit here: this machine holds no more context with this model.

prompt-over-native-title = prompt of { $prompt } tokens is over the model's maximum { $native }
prompt-over-native-message = The prompt is { $prompt } tokens{ $count }, { $over } more than the { $native } the model was built for ({ $prompt } − { $native } = { $over }). No setting holds it: past context_length a model's positions are untrained.
prompt-over-native-fix = Send less: cut at least { $cut } tokens (compact the conversation, send fewer or smaller files), or use a model with a longer context.

prompt-over-ctx-title = prompt of { $prompt } tokens is { $over } over the { $ctx }-token context
prompt-over-ctx-message = The prompt is { $prompt } tokens{ $count }, over the { $ctx }-token context by { $over } ({ $prompt } − { $ctx } = { $over }). { $what }
prompt-over-ctx-ollama = Ollama does not refuse it: /api/chat silently drops the oldest messages until the rest fits (keeping the system prompt and the latest message), and older runners cut the prompt after num_keep tokens — the model answers without part of its input. The llama-server-based Ollama answers HTTP 400 instead when context shift is off.
prompt-over-ctx-llama = llama-server answers HTTP 400 ("the request exceeds the available context size"), or, with --context-shift, drops tokens from the start.
prompt-over-ctx-fix-holds = A { $ctx }-token context holds it, with { $left } tokens left for the answer; { $runtime ->
    [ollama] see the Modelfile below
   *[other] see the llama-server flags below
}.
prompt-over-ctx-fix-machine = This machine holds at most { $ctx } tokens of context ({ $setup }); send at least { $cut } fewer tokens, or use a machine with more memory.
prompt-over-ctx-fix-shorten = Shorten the prompt (see prompt-over-native).

prefill-title = prefill takes { $secs } s, { $over ->
    [yes] over
   *[no] close to
} the client's { $timeout } s timeout
prefill-message = Prefill alone takes { $prompt } tokens ÷ { $rate } tokens/s = { $secs } s ({ $duration }){ $source ->
    [none] {""}
   *[other] {" "}at the rate from { $source }
}, { $over ->
    [yes] over the client's { $timeout } s timeout by { $by } s: the request is cut off
   *[no] within 20% of the client's { $timeout } s timeout: the request may be cut off
} before the first token of the answer.
prefill-fix = Set the client's request timeout to at least { $suggest } s ({ $duration }): the prefill plus half again for the answer, rounded up to a minute. Later turns that reuse the cached prefix prefill only the new tokens.
prefill-fix-shorter = {" "}Or send a shorter prompt: in { $timeout } s at { $rate } tokens/s prefill reads at most { $max } tokens ({ $rate } × { $timeout }), before any of the answer.
source-prefill-predicted = a prediction from the machine's compute (typical; range { $low }–{ $high } tokens/s)

never-fits-title = the model cannot fit this machine at any setting
never-fits-message = Even with a 256-token context, one slot and a q4_0 KV cache the model needs { $total }: its weights alone are { $weights }, and the machine has { $cap }{ $offload ->
    [yes] {" "}counting system RAM for offload
   *[no] {""}
}.
never-fits-fix-smaller = Use a smaller file: at { $quant } the weights are { $weights } and a { $ctx }-token context needs { $total } in all, which fits this machine{ $offload ->
    [yes] {" "}with CPU offload
   *[no] {""}
}. Or a machine with more memory.
never-fits-fix-none = No quantization of this model fits this machine; use a smaller model or a machine with more memory.

memory-over-title = { $setup } needs { $total }, the machine has { $cap }
memory-over-message = At { $setup } the model needs { $total } (weights { $weights } + KV { $kv } + compute and reserves) and the machine gives { $cap }: { $short } short. Ollama refuses to load it, or the system swaps.
memory-over-fix-target = Make it fit: { $summary }.
memory-over-fix-smaller = Use a smaller quantization or a machine with more memory.
memory-spill-title = { $on_cpu } of { $layers } layers spill to system RAM
memory-spill-message = At { $setup } the model needs { $total } (weights { $weights } + KV { $kv } + compute and reserves) but the GPUs hold { $fast }: { $over } over, so about { $on_cpu } of { $layers } layers run from system RAM (llama.cpp keeps the last layers on the GPU and spills the first).{ $cost }
memory-spill-cost = {" "}Decode at an empty context slows from about { $all } to { $split } tokens/s (typical): { $pct }% of the bytes read per token come from system RAM at its bandwidth, and the devices run in turn.
memory-moe-speed = , and decode runs at about { $moe } tokens/s (typical) instead of { $split }
memory-moe = start llama-server with --n-cpu-moe { $layers }: the routed experts of the first { $layers } layers ({ $experts }) stay in system RAM and everything else on the GPU ({ $gpu } of { $fast }){ $speed }.
memory-moe-or = { $fix } Or keep these settings and { $moe }
memory-moe-keep = Keep these settings and { $moe } Otherwise use a smaller quantization or a machine with more memory.

parallel-launch-ollama = Ollama starts its runner with -c { $ctx } × { $slots } = { $total } -np { $slots }
parallel-launch-llama = llama-server runs { $slots } slots
parallel-title = { $slots } parallel slots multiply the KV cache by { $slots }
parallel-message = { $launch } ({ $source }): every slot holds the full context, so the KV cache is { $slots } × { $one } = { $all } instead of { $one }{ $matters ->
    [yes] ; with one slot the model fits
   *[no] {""}
}.
parallel-fix-ollama = If one client sends one request at a time (a coding agent does), set OLLAMA_NUM_PARALLEL=1 on the server and restart it.
parallel-fix-llama = If one client sends one request at a time, start llama-server with -np 1.

kv-fits-title = { $change } makes a { $ctx }-token context fit
kv-fits-message = At { $ctx } tokens the KV cache is { $without } with { $kv_now } but { $with } with { $kv_new }{ $fa ->
    [yes] {" "}and flash attention on (a quantized V cache needs it, and without it the attention scores of a long context are materialized)
   *[no] {""}
}; the total becomes { $total } of { $cap }.
kv-fits-fix = Set { $change }{ $runtime ->
    [ollama] {" "}on the Ollama server (it is global, and applies only with flash attention on) and restart it
   *[other] {""}
}. A q8_0 cache costs little quality; q4_0 more.

store-broken-title = a layer of { $model } is broken in the store
store-broken-message = { $layer }: { $problem }. Ollama cannot load a model with a broken layer.
store-broken-fix = Pull the model again (ollama pull { $model }), or re-create it from its Modelfile.

server-title = { $server } did not answer properly
server-fix = Check that the server is the one you mean (OLLAMA_HOST / --llama-server), that it is not stuck loading a model, and restart it if it hangs.

loaded-ctx-title = { $model } is loaded with a { $loaded }-token context, not { $ctx }
loaded-ctx-message = /api/ps shows { $model } running with context_length { $loaded }, while its configuration gives { $ctx } ({ $source }): a client sent another options.num_ctx, or the server's environment differs from this shell's.
loaded-ctx-fix = Check the client's options.num_ctx and the server's own environment (systemctl show ollama -p Environment).

loaded-offload-all-cpu = 100% CPU
loaded-offload-split = { $cpu }%/{ $gpu }% CPU/GPU
loaded-offload-title = { $model } runs { $placement }
loaded-offload-message = /api/ps: { $model } is loaded with size { $size } of which { $vram } in VRAM, so { $cpu } ({ $placement } in `ollama ps`) runs from system RAM, read at its bandwidth on every token.
loaded-offload-fix = Lower num_ctx, use OLLAMA_KV_CACHE_TYPE=q8_0 with flash attention, or a smaller quantization, until it loads 100% GPU.

## The fix

modelfile-comment = # Written by cabe doctor: { $model } with a { $ctx }-token context.
modelfile-memory = # Memory on this machine: { $summary }
fix-step-write = Write the Modelfile ({ $path }): FROM { $model } keeps its weights, template and parameters; PARAMETER num_ctx { $ctx } replaces the context.
fix-step-create = Run: ollama create { $new } -f { $path } (it copies no weights: the new model points at the same blobs).
fix-step-point = Point the client at { $new }. A client can also send options.num_ctx = { $ctx } per request, which overrides the Modelfile.
fix-why-fa = flash attention: smaller compute buffer at long context; needed for a quantized KV cache
fix-why-kv = a { $kv } KV cache holds the context in less memory
fix-why-slots = one slot: the KV cache is not multiplied
fix-step-env = On the Ollama server set { $vars } and restart it (systemd: systemctl edit ollama → Environment=…; macOS app: launchctl setenv …).
fix-step-llama = Restart llama-server with { $flags } (with an explicit -np each slot gets -c ÷ np tokens).
fix-step-timeout = Set the client's request timeout to { $secs } s ({ $duration }).
fix-step-memory = Memory check: { $summary }.
