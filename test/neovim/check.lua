-- Run by test/neovim/run.mjs inside headless Neovim, after init.lua and the file to check are loaded:
-- waits for the server's diagnostics (polling vim.diagnostic.get), asks for a hover, writes what it
-- saw as JSON to $PIPEWRIGHT_NVIM_OUT and quits. run.mjs judges the result; this script only reports.
--
-- Environment: PIPEWRIGHT_NVIM_OUT (the JSON file), PIPEWRIGHT_HOVER ("line:character", 0-based),
-- PIPEWRIGHT_WAIT_MS (how long to wait for diagnostics, default 30000).

local out = assert(os.getenv('PIPEWRIGHT_NVIM_OUT'), 'PIPEWRIGHT_NVIM_OUT is not set')
local wait_ms = tonumber(os.getenv('PIPEWRIGHT_WAIT_MS') or '') or 30000
local encode = (vim.json and vim.json.encode) or vim.fn.json_encode

local function write(result)
  local f = assert(io.open(out, 'w'))
  f:write(encode(result))
  f:close()
end

local function clients_of(bufnr)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients({ bufnr = bufnr })
  end
  return vim.tbl_values(vim.lsp.buf_get_clients(bufnr))
end

local function diagnostics()
  local all = {}
  for _, d in ipairs(vim.diagnostic.get()) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(all, {
      file = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(d.bufnr), ':.'),
      line = d.lnum,
      character = d.col,
      severity = vim.diagnostic.severity[d.severity],
      code = d.code or lsp.code,
      message = d.message,
    })
  end
  table.sort(all, function(a, b)
    if a.file ~= b.file then
      return a.file < b.file
    end
    return a.line < b.line or (a.line == b.line and a.character < b.character)
  end)
  return all
end

local function check()
  local bufnr = vim.api.nvim_get_current_buf()
  local result = {
    nvim = tostring(vim.version().major) .. '.' .. vim.version().minor .. '.' .. vim.version().patch,
    file = vim.fn.expand('%:.'),
    filetype = vim.bo[bufnr].filetype,
  }
  -- the server attaches on the filetype, then publishes once it has analysed the project
  result.attached = vim.wait(wait_ms, function()
    return #clients_of(bufnr) > 0
  end, 50)
  result.clients = vim.tbl_map(function(c)
    return c.name
  end, clients_of(bufnr))
  if not result.attached then
    return result
  end
  vim.wait(wait_ms, function()
    return #vim.diagnostic.get(bufnr) > 0
  end, 50)
  -- more files may follow the first: wait until nothing changed for half a second
  local last, since = vim.inspect(diagnostics()), vim.loop.now()
  vim.wait(wait_ms, function()
    local now = vim.inspect(diagnostics())
    if now ~= last then
      last, since = now, vim.loop.now()
    end
    return vim.loop.now() - since >= 500
  end, 50)
  result.diagnostics = diagnostics()

  local line, character = (os.getenv('PIPEWRIGHT_HOVER') or '0:0'):match('^(%d+):(%d+)$')
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = tonumber(line), character = tonumber(character) },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, wait_ms)
  result.hoverError = err
  for _, response in pairs(responses or {}) do
    if response.error then
      result.hoverError = response.error.message
    elseif response.result and response.result.contents then
      local contents = response.result.contents
      result.hover = type(contents) == 'table' and contents.value or contents
    end
  end
  return result
end

local ok, result = pcall(check)
if not ok then
  result = { error = tostring(result) }
end
write(result)
vim.cmd(ok and 'qall!' or 'cquit!')
