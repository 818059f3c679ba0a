# cabe recommend: the heading, the table, the reasons, the near misses and --explain.

recommend-use = { $purpose }
recommend-header = for { $purpose } on { $machine } ({ $usable } usable), { $ctx } tokens of context, { $runtime }:
recommend-nothing = nothing in the catalog fits with these constraints.
recommend-col-model = model
recommend-col-quant = quant
recommend-col-memory = memory
recommend-col-spare = to spare
recommend-col-ctx = ctx up to
recommend-col-decode = decode tok/s
recommend-col-ttft = first token
recommend-col-quality = quality
recommend-not-measured = not measured
recommend-loss = +{ $pct }% ppl
recommend-why-moe = { $total }B MoE ({ $active }B active, ranked as { $eff }B)
recommend-why-dense = { $total }B
recommend-why-loss = { $quant } (+{ $pct }% perplexity)
recommend-why-unmeasured = { $quant } (loss not measured)
recommend-why-made-for = ; made for { $purpose }
recommend-why = { $size } at { $quant }{ $made_for }; ranked by size, quantization loss and speed (no published score recorded)
recommend-near-misses = near misses (do not fit at any quantization here):
recommend-near-miss-change = fits with { $flag } ({ $spare } to spare)
recommend-near-miss-none = no single change makes it fit
recommend-near-miss = { $model } at { $quant }: { $total } of { $cap }; { $change }
recommend-explain-score = ranking (docs/recommend.md): score = log2(effective billions of parameters; a MoE model counts sqrt(total × active))
recommend-explain-use = {"  "}+ 1 if the family is made for { $purpose } (data/uses.toml)
recommend-explain-loss = {"  "}− 0.1 × the quantization's perplexity increase over F16 in % (data/quality.toml; unmeasured types count { $pct }%)
recommend-explain-slow = {"  "}− { $weight } × log2(comfortable ÷ decode) below { $tps } tok/s; each model at its best-scoring quantization that fits
recommend-left-out = {"  "}left out { $id }: { $why }
recommend-out-not-chat = a { $kind } model does not chat
recommend-out-family = family { $family } is not { $want }
recommend-out-license = licence { $license } is not { $want }
recommend-out-native-ctx = its native context ({ $native }) is below the { $want } tokens asked for
recommend-out-runtime = the runtime refuses its settings
recommend-err-min-ctx = --min-ctx must be between 256 and 67,108,864 tokens
