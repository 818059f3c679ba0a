# Leftovers worded again from figures: route --explain's deadline line, system's capacity
# line and machine summary, and refusals raised inside the engine crates.

route-local-deadline-unknown = deadline { $time }: not judged (no prefill or decode figure for this machine)
speed-expert-prefill = routed experts: about { $tokens } tokens reach each expert per micro-batch of { $batch } (--ubatch), so their matrix products run at { $pct }% of the dense rate
