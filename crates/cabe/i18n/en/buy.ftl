# cabe buy: the heading, the table, the cheapest machine, the next tiers, the claim, --explain
# and the notes.

buy-what = { $model } at { $quant }, { $ctx } tokens of context, { $runtime }
buy-what-decode = , decode ≥ { $tps } tok/s
buy-what-ttft = , first token of { $tokens } tokens within { $time }
buy-what-budget = , budget { $money }
buy-header = machines for { $what }:
buy-col-machine = machine
buy-col-fits = fits
buy-col-spare = to spare
buy-col-ctx = ctx up to
buy-col-decode = decode tok/s
buy-col-ttft = first token
buy-col-price = price
buy-col-per-gb = $/GB
buy-col-per-tps = $ per tok/s
buy-no-price = no price
buy-price = { $money } ({ $kind ->
    [list] list
   *[street] street
} { $date })
buy-price-unsourced = { $money } (price not sourced)
buy-fit-yes = yes
buy-fit-slow = fits, too slow
buy-fit-offload = fits with offload
buy-fit-no = no
buy-over-budget = { $fit }; over budget
buy-more = ({ $n } more machines; --top N or --json for all)
buy-offload = fits with offload (layers spill to system RAM, decode at RAM speed for that share): { $ids }
buy-cheapest = cheapest that meets it: { $name }, { $price }, { $spare } to spare
buy-none-in-budget = nothing priced within the budget meets it
buy-none = no catalog machine meets it
buy-tier-decode = , decode ×{ $ratio }
buy-tier-ctx = , { $sign }{ $tokens } tokens of context
buy-tier = {"  "}next tier up from { $id }: { $next } for +{ $money }: { $headroom } headroom{ $decode }{ $ctx }
buy-claim = claim on { $on }: { $text }
buy-claim-over = { $claim } tok/s is above the { $ceiling } tok/s ceiling ({ $bw } GB/s ÷ { $gb } GB read per token): it needs speculative decoding, smaller weights, or it is not this model
buy-claim-within = { $claim } tok/s is within the { $ceiling } tok/s ceiling
buy-explain-ranking = ranking: the machines that fit in fast memory and meet every speed target, cheapest first (unpriced after priced); then those that fit but are too slow, fit only with offload, do not fit
buy-explain-source = ; price: { $url }
buy-explain-units = ; { $units } units, { $layers } layers each, over { $link } ({ $source }); price { $units } × one unit
buy-explain-meets = meets the workload
buy-explain-row = {"  "}{ $id }: { $total } of { $usable } usable; { $why }{ $source }
buy-miss-offload = fits with offload: { $bytes } of weights and cache spill to system RAM
buy-miss-unit = does not fit: the fullest unit is { $bytes } over its memory
buy-miss-no-fit = does not fit: needs { $total } of { $usable }
buy-miss-decode = decode { $tps } tok/s typical, below { $min } tok/s
buy-miss-no-bandwidth = no bandwidth figure to judge decode
buy-miss-ttft = first token after { $time } typical, over { $max }
buy-miss-no-compute = no compute figure to judge the first token
buy-note = note: { $note }
buy-note-multi-unit = rows named Nx-… are N units of one machine joined by a network link, run as llama.cpp runs them over RPC: whole layers split evenly, each unit holding its layers' KV cache and its own compute buffer, the layers run in turn (decode: the same bytes over the same bandwidth as one unit, plus about 0.8 ms of RPC per token per extra unit); llama.cpp's RPC README calls RPC a proof of concept, so treat these rows as the best case
buy-note-price = prices are the catalog's launch list prices (MSRP) unless marked street; street prices differ and change, so check them before buying
buy-note-basis = speed from each machine's catalog figures (bandwidth, compute) and the backend's efficiencies (data/speed.toml), not from a calibration of this machine
buy-note-unsourced = { $n } price(s) are marked "price not sourced": the catalog carries them without a page and date behind them
buy-err-usd = '{ $value }' is not a positive amount of USD
buy-err-claimed-decode = --claimed-decode needs --claim-on HARDWARE_ID (the machine the claim is made for)
buy-err-claim-on = --claim-on needs --claimed-decode TOK_PER_S (the rate claimed)
buy-name-linked = { $name } over { $link }
buy-err-ctx-max = --ctx max compares nothing (every machine fits its own largest context); give a number of tokens or native
