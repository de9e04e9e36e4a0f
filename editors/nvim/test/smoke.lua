-- Headless smoke test: opens an fgl file with this directory's plugin, waits for the language
-- server's diagnostics, asks for completion inside `aws.Container { … }`, and writes what it
-- got as JSON to $FGL_NVIM_OUT. Driven by crates/fgl-cli/tests/neovim.rs:
--   FGL_BIN=… FGL_NVIM_PLUGIN=editors/nvim FGL_NVIM_FILE=… FGL_NVIM_LINE=… FGL_NVIM_OUT=… \
--     nvim --headless --clean -u NONE -c 'luafile editors/nvim/test/smoke.lua'
local plugin = vim.env.FGL_NVIM_PLUGIN
local file = vim.env.FGL_NVIM_FILE
local out = vim.env.FGL_NVIM_OUT
local result = { diagnostics = {}, completion = {}, errors = {} }

local function finish()
  local f = io.open(out, 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local ok, err = pcall(function()
  vim.opt.runtimepath:prepend(plugin)
  -- `--clean` detected filetypes before the plugin was on the runtimepath: load its ftdetect.
  vim.cmd('runtime! ftdetect/*.vim')
  vim.cmd('filetype plugin on')
  vim.cmd('syntax on')
  require('fgl').setup({ cmd = { vim.env.FGL_BIN, 'lsp' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  result.filetype = vim.bo.filetype

  local got = vim.wait(30000, function()
    return #vim.diagnostic.get(0) > 0
  end, 50)
  if not got then
    table.insert(result.errors, 'no diagnostics within 30 s')
  end
  for _, d in ipairs(vim.diagnostic.get(0)) do
    table.insert(result.diagnostics, {
      lnum = d.lnum,
      col = d.col,
      message = d.message,
      code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code),
      source = d.source,
    })
  end

  -- Completion on the empty line inside `aws.Container {`.
  local line = tonumber(vim.env.FGL_NVIM_LINE)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(0) },
    position = { line = line, character = 2 },
  }
  local responses = vim.lsp.buf_request_sync(0, 'textDocument/completion', params, 30000)
  if not responses then
    table.insert(result.errors, 'no completion answer within 30 s')
  end
  for _, response in pairs(responses or {}) do
    if response.err then
      table.insert(result.errors, vim.inspect(response.err))
    end
    local items = response.result or {}
    if items.items then
      items = items.items
    end
    for _, item in ipairs(items) do
      table.insert(result.completion, item.label)
    end
  end
end)
if not ok then
  table.insert(result.errors, tostring(err))
end
finish()
