# cabe models and cabe hardware, in English.

list-col-id = id
list-col-arch = arch
list-col-params = params
list-col-native-ctx = native ctx
list-col-layers = layers
list-col-name = name
list-col-memory = memory
list-col-price = price
list-params = { $total }B
list-params-active = { $total }B ({ $active }B active)
list-models-count = { $n } models; `cabe fit ID` sizes one.
list-mem-discrete = { $vram } GB VRAM + { $ram } GB RAM
list-mem-unified = { $ram } GB unified
list-mem-cpu = { $ram } GB RAM
list-machines-count = { $n } machines; `cabe fit MODEL --on ID` fits against one.
