# cabe models y cabe hardware, en español.

list-col-id = id
list-col-arch = arquitectura
list-col-params = parámetros
list-col-native-ctx = contexto nativo
list-col-layers = capas
list-col-name = nombre
list-col-memory = memoria
list-col-price = precio
list-params = { $total } mil millones
list-params-active = { $total } mil millones ({ $active } mil millones activos)
list-models-count = { $n } { $n ->
    [one] modelo
   *[other] modelos
}; `cabe fit ID` calcula uno.
list-mem-discrete = { $vram } GB de VRAM + { $ram } GB de RAM
list-mem-unified = { $ram } GB unificada
list-mem-cpu = { $ram } GB de RAM
list-machines-count = { $n } { $n ->
    [one] máquina
   *[other] máquinas
}; `cabe fit MODELO --on ID` calcula contra una.
