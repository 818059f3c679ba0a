# cabe scan: the stores searched, the table, the verdict line, the totals and the errors,
# in English.

scan-err-special = { $path } is a { $kind }, not a file or folder
scan-err-missing = { $path }: no such file or folder
scan-progress = reading headers
scan-on = on { $machine }
scan-no-stores = no model stores found (Ollama, Hugging Face cache, LM Studio, llama.cpp cache); give folders or files to scan
scan-searched = searched { $places }
scan-no-models = no models found
scan-col-model = model
scan-col-from = from
scan-col-arch = arch
scan-col-size = size
scan-col-quant = quant
scan-col-native = native ctx
scan-col-max = max ctx here
scan-col-decode = decode
scan-col-verdict = verdict
scan-verdict = { $verdict ->
    [fits] fits
    [fits-with-offload] fits-with-offload
   *[does-not-fit] does-not-fit
}
scan-verdict-at = verdict at { $at } under { $runtime }; decode is the { $note }
scan-at-native = each model's native context
scan-at-max = the largest context that fits each model
scan-at-tokens = { $tokens } tokens
scan-speed-note = typical decode with an empty context, predicted as `cabe fit` predicts it (calibration and bench history included), shown only when the model fits in fast memory
scan-summary = { $models } model(s) from { $files } header read(s), { $bytes } read in { $seconds } s
scan-skipped = skipped: { $error }
