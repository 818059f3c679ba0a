# The memory plan's steps under --explain (the KV cache, the compute buffer, the capacity, the
# totals), worded from the core's figures. English output prints the core's own lines
# (cabe_core's `explain`, which --json carries); these say the same.

explain-elem = { $size } bytes
explain-elem-block = { $size }/{ $block } bytes
explain-kv-group = { $layers }{ $swa ->
    [yes] {" "}sliding-window
   *[no] {""}
} layers
explain-kv-same = { $tokens } tokens × { $group } × { $heads } KV heads × { $width } × 2 (K,V) × { $elem } = { $bytes }
explain-kv-split = { $tokens } tokens × { $group } × { $heads } KV heads × ({ $kwidth } × { $kelem } K + { $vwidth } × { $velem } V) = { $bytes }
explain-kv-mla = { $tokens } tokens × { $layers } MLA layers × { $width } latent (kv_lora_rank + rope) × { $elem } (K only, V-less cache) = { $bytes }
explain-kv-padded = context { $ctx } padded to { $padded } (llama.cpp pads n_ctx to a multiple of 256)
explain-kv-recurrent = recurrent state: { $layers } layers × ({ $conv } conv + { $state } state) × 4 bytes (f32) × { $seqs } seq = { $bytes }

explain-stage-logits = logits
explain-stage-attention = attention
explain-stage-ffn = FFN
explain-compute-batch = one { $tokens }-token micro-batch, { $outputs } logits rows; the largest stage ({ $stage }) is the buffer
explain-compute-logits = logits: { $outputs } × { $vocab } vocab × 4 + last hidden states = { $bytes }
explain-compute-attention-flash = attention (flash): f16 KQ mask { $cells } × { $tokens } + Q/K/V/out activations = { $bytes }
explain-compute-attention = attention: KQ scores { $kv } × { $tokens } × { $heads } heads × 4 + f32 mask { $cells } × { $tokens } + activations = { $bytes }
explain-compute-ffn-experts = FFN: { $used } of { $of } experts × { $width } wide + KQ mask = { $bytes }
explain-compute-ffn-dense = FFN: gate/up/GLU { $width } wide + KQ mask = { $bytes }

explain-capacity-wired = GPU may wire { $pct }% of { $memory } unified memory (recommendedMaxWorkingSetSize) = { $fast }
explain-capacity-ram = { $memory } memory − { $reserve } OS reserve = { $fast }
explain-capacity-offload = { $vram } VRAM over { $gpus } GPU(s); with CPU offload + { $ram } RAM − { $reserve } OS reserve = { $total }

explain-total = total = weights { $weights } + KV { $kv } + compute { $compute } + output { $output } + runtime { $runtime } = { $total }
explain-cpu-experts = --n-cpu-moe { $layers }: the routed experts of { $layers } layers, { $bytes }, stay in system RAM ({ $free } free for them); the GPU holds { $total } − { $bytes } = { $need }
explain-headroom = headroom = { $limit } − { $need } = { $headroom }
