" fgl files: *.fgl
autocmd BufRead,BufNewFile *.fgl setfiletype fgl
