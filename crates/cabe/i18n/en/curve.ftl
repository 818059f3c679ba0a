# cabe curve: the title, the notes, the terminal charts, the timeout line, the SVG's labels
# and the errors, in English.

curve-title = { $model } { $quant } on { $machine }
curve-this-machine = this machine ({ $summary })
curve-given-memory = machine with the given memory
curve-svg-subtitle = { $basis } — on { $machine }
curve-err-max = --prompt-tokens-max must be between { $min } and { $max } (the model's native context is used by default)
curve-err-bandwidth = no memory bandwidth for { $machine }: name a catalog machine (--on HARDWARE_ID){ $calibrate ->
    [yes] {" "}or run `cabe calibrate`
   *[no] {""}
}
curve-err-writing = writing { $path }
curve-note-no-compute = no compute figure for { $machine }: prefill and time to first token are not drawn{ $calibrate ->
    [yes] {" "}(run `cabe calibrate`)
   *[no] {""}
}
curve-note-spill = from about { $tokens } tokens of context the plan spills to system RAM: decode drops
curve-note-no-fit = from about { $tokens } tokens of context the model does not fit this machine (points drawn for reference)
curve-series-decode = decode tok/s at this context
curve-series-prefill = prefill tok/s for a prompt this long
curve-series-ttft = time to first token
curve-chart-rates = tokens/s (log scale)
curve-chart-ttft = time to first token (log scale)
curve-chart-timeout = timeout
curve-chart-x = tokens of context →
curve-legend = { $mark } { $label } (range { $band })
curve-written = chart written to { $path }
curve-cross = timeout { $timeout }: prompts above about { $tokens } tokens get their first token after it{ $range }
curve-cross-between = {" "}(between { $from } and { $to } over the prefill range)
curve-cross-from = {" "}(from { $from } with the slowest prefill; not within { $max } with the fastest)
curve-cross-slowest = timeout { $timeout }: typically not reached up to { $max } tokens; with the slowest prefill from { $from } tokens
curve-cross-never = timeout { $timeout }: the first token arrives before it for every prompt up to { $max } tokens
curve-svg-decode = decode tok/s (at this context)
curve-svg-prefill = prefill tok/s (prompt this long)
curve-svg-rates = tokens / s
curve-svg-key = line: typical · band: predicted range
curve-svg-timeout = timeout { $timeout }
curve-svg-crossed = crossed at ≈{ $tokens } tokens
curve-svg-x = tokens of context (prompt length), log scale
