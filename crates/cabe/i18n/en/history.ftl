# cabe history's table and lines, in English.

history-empty = no bench runs stored ({ $path }): `cabe bench` measures a running Ollama or llama-server
history-col-run = run
history-col-when = when
history-col-server = server
history-col-model = model
history-col-prompts = prompts
history-col-prefill = prefill ×
history-col-decode = decode ×
history-col-machine = machine
history-col-basis = basis
history-legend = × = median measured ÷ predicted over the run's prompts; later predictions for the same machine, backend and basis are corrected by the median over runs
