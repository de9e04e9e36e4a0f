-- Buffer settings for fgl, and the language server (`fgl lsp`) attached to the buffer.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = true

vim.bo.commentstring = '# %s'
vim.bo.comments = ':##,:#'
vim.bo.shiftwidth = 2
vim.bo.tabstop = 2
vim.bo.expandtab = true

require('fgl').attach(0)
