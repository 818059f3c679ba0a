# Las líneas de arranque de cabe serve en stderr, en español. La línea de stdout
# «listening on http://…» la leen scripts y pruebas: nunca se traduce.

serve-not-loopback = cabe serve: aviso: escucha en { $address }, que no es la interfaz local: cualquiera que llegue a ella puede consultarlo (lo que responde es de solo lectura)
serve-started = cabe serve: la página en http://{ $address }/, la API descrita en http://{ $address }/api/openapi.json; Ctrl-C lo detiene
