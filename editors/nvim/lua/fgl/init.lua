-- The fgl language server for Neovim (0.7 and later): starts `fgl lsp` for fgl buffers.
--
--   require('fgl').setup({ cmd = { 'fgl', 'lsp' } })   -- optional; these are the defaults
--
-- With nvim-lspconfig you may instead register a config with the same `cmd`, `filetypes` and
-- `root_dir`; this module needs no plugin.
local M = {}

M.config = {
  cmd = { 'fgl', 'lsp' },
  -- Extra fields passed to the client (on_attach, capabilities, …).
  client = {},
}

function M.setup(opts)
  M.config = vim.tbl_deep_extend('force', M.config, opts or {})
end

local function root_dir(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = vim.fn.fnamemodify(name, ':p:h')
  local git = vim.fn.finddir('.git', dir .. ';')
  if git ~= '' then
    return vim.fn.fnamemodify(git, ':p:h:h')
  end
  return dir
end

local function client_config(bufnr)
  return vim.tbl_extend('force', {
    name = 'fgl',
    cmd = M.config.cmd,
    root_dir = root_dir(bufnr),
  }, M.config.client)
end

-- One client per root directory, attached to every fgl buffer under it.
local clients = {}

function M.attach(bufnr)
  if bufnr == 0 then
    bufnr = vim.api.nvim_get_current_buf()
  end
  local config = client_config(bufnr)
  if vim.lsp.start then
    -- Neovim 0.8+: reuses a running client with the same name and root.
    vim.lsp.start(config, { bufnr = bufnr })
    return
  end
  local id = clients[config.root_dir]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(config)
    clients[config.root_dir] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

return M
