" Syntax highlighting for fgl (the language server adds diagnostics, completion and hover).
if exists('b:current_syntax')
  finish
endif

syn keyword fglKeyword import as let in if then else fn for check
syn keyword fglDeclaration schema resource type param
syn keyword fglBoolean true false
syn keyword fglNull null
syn keyword fglBuiltinType Int String Bool Null List Map
syn match fglNumber '\<\d[0-9_]*\>'
syn match fglType '\<[A-Z][A-Za-z0-9_]*\>'
syn region fglInterp matchgroup=fglInterpDelim start='\${' end='}' contained contains=TOP
syn match fglEscape '\\[nrt"\\$]' contained
syn region fglString start='"' skip='\\"' end='"' oneline contains=fglEscape,fglInterp
syn region fglString start='"""' end='"""' contains=fglEscape,fglInterp
syn match fglComment '#.*$' contains=@Spell
syn match fglDoc '##.*$' contains=@Spell

hi def link fglKeyword Keyword
hi def link fglDeclaration Structure
hi def link fglBoolean Boolean
hi def link fglNull Constant
hi def link fglBuiltinType Type
hi def link fglType Type
hi def link fglNumber Number
hi def link fglString String
hi def link fglEscape SpecialChar
hi def link fglInterpDelim Delimiter
hi def link fglComment Comment
hi def link fglDoc SpecialComment

let b:current_syntax = 'fgl'
