# cabe doctor's frame (the findings themselves are in crates/cabe-doctor/i18n), in English.

doctor-head-model = model: { $name } ({ $arch }, { $layers } layers, native context { $native }), { $weights } of weights, from { $source }
doctor-head-machine = machine: { $machine }
doctor-head-in-force = in force: context { $ctx } per slot ({ $ctx_source }); { $slots } { $slots ->
    [one] slot
   *[other] slots
} ({ $slots_source }); KV { $kv } ({ $kv_source }); flash attention { $fa ->
    [on] on
   *[off] off
} ({ $fa_source })
doctor-head-memory = memory now: { $summary }
doctor-no-findings = No findings: the configuration holds the workload on this machine.
doctor-findings = { $n } { $n ->
    [one] finding
   *[other] findings
}:
doctor-error = ERROR
doctor-warning = WARNING
doctor-info = INFO
doctor-fix = fix: { $fix }
doctor-the-fix = THE FIX
doctor-modelfile-written = Modelfile written to { $path }:
doctor-modelfile-written-backup = Modelfile written to { $path } (the previous one kept as { $backup }):
doctor-modelfile-not-written = Modelfile (not written; --apply FILE writes it):
doctor-apply-nothing = --apply: nothing to write, the model's context needs no change.
doctor-notes = notes:
doctor-params-layer = the params layer of { $model }
doctor-blob = GGUF blob { $blob } in { $root }
doctor-catalog-source = the catalog ({ $id } at { $quant })
doctor-catalog-modelfile = the Modelfile of { $model } (--ctx)
doctor-env-shell = this shell's environment
doctor-env-not-read = not read (--catalog)
doctor-show-params = the parameters of { $model } (/api/show)
doctor-note-catalog = --catalog: { $id } sized from the catalog at { $quant } ({ $provenance }); no store, server or OLLAMA_* variable read
doctor-note-not-running = { $who }: not running ({ $detail })
doctor-note-read-store = : read the on-disk store; the OLLAMA_* values are this shell's, and the server's own may differ
doctor-note-offline = --offline: no server asked
doctor-note-running = { $who }: running, version { $version }
doctor-note-not-loaded = /api/ps: { $model } is not loaded now
doctor-note-version-ignored = --ollama-version { $given } ignored: the server says { $live }
doctor-note-weights-estimated = weights ESTIMATED from the architecture at { $quant } (/api/show listed no tensors)
doctor-note-from-show = store: { $error }; the model was read from /api/show
doctor-note-llama-defaults = llama-server's defaults are assumed: one slot, KV cache f16, flash attention auto (on)
doctor-note-llama-slots = llama-server at { $url }: { $slots } slot(s) of { $ctx } tokens{ $build }
doctor-note-llama-build = , build { $build }
doctor-note-llama-unreported = llama-server does not report its KV cache type or flash attention: its defaults (f16, -fa auto = on) are assumed
doctor-llama-at = llama-server at { $url }
doctor-ollama-at = Ollama at { $url }
doctor-setup-given = the setup given (--ctx, one slot)
doctor-prefill-predicted = a prediction from the machine's compute (typical; range { $low }–{ $high } tokens/s)
doctor-prompt-estimated = prompt tokens ESTIMATED: { $bytes } bytes ÷ 4 ≈ { $tokens } tokens (English and code run about 4 bytes per token with BPE tokenizers); give --llama-server URL of a llama-server with this model to count them exactly
doctor-tokenize-by = llama-server /tokenize at { $url }
doctor-issue-loading = 503: still loading the model
doctor-issue-loading-consequence = its slots and tokenizer are not available yet
doctor-issue-hung = it accepted the connection and then said nothing: hung, busy loading, or overloaded
doctor-issue-wrong-server = what answered is not the server expected there (check the address)
doctor-issue-unusable = its answer could not be used
doctor-issue-goes-on = { $consequence }; the diagnosis goes on without it
doctor-issue-estimated-instead = the prompt's tokens are estimated instead
