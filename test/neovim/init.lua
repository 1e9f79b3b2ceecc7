-- A minimal Neovim config for Pipewright, the one docs/editors.md gives, written to run on every Neovim
-- from 0.7 (Debian bookworm's) on: GitLab CI files get the filetype `yaml.gitlab`, and the language
-- server starts for that filetype. test/neovim/run.mjs uses it with the server built from source.

-- GitLab CI files: yaml highlighting, and a filetype of their own for the server to start on
vim.g.do_filetype_lua = 1 -- Neovim 0.7 only: vim.filetype.add needs filetype.lua, opt-in there
vim.filetype.add({
  filename = { ['.gitlab-ci.yml'] = 'yaml.gitlab' },
  pattern = {
    ['.*%.gitlab%-ci%.ya?ml'] = 'yaml.gitlab',
    ['.*/%.gitlab/ci/.*%.ya?ml'] = 'yaml.gitlab',
  },
})

-- the server built in this clone (dist/server.js); installed with npm, it is `pipewright-language-server`
local here = vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':p:h')
local server = vim.fn.fnamemodify(here .. '/../../dist/server.js', ':p')
local cmd = { 'node', server, '--stdio' }
local root_markers = { '.gitlab-ci.yml', '.pipewright.yml', '.git' }

if vim.lsp.config and vim.lsp.enable then
  -- Neovim 0.11 and later
  vim.lsp.config('pipewright', { cmd = cmd, filetypes = { 'yaml.gitlab' }, root_markers = root_markers })
  vim.lsp.enable('pipewright')
else
  -- Neovim 0.7 to 0.10: start (or reuse) the server when a buffer gets the filetype
  local function root_dir(bufnr)
    local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(bufnr), ':p:h')
    for _, marker in ipairs(root_markers) do
      local found = vim.fn.findfile(marker, dir .. ';')
      if found == '' then
        found = vim.fn.finddir(marker, dir .. ';')
      end
      if found ~= '' then
        return vim.fn.fnamemodify(vim.fn.fnamemodify(found, ':p'):gsub('/$', ''), ':h')
      end
    end
    return dir
  end
  local clients = {} -- 0.7 has no vim.lsp.start: one client per root
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'yaml.gitlab',
    callback = function(args)
      local config = { name = 'pipewright', cmd = cmd, root_dir = root_dir(args.buf) }
      if vim.lsp.start then
        vim.lsp.start(config, { bufnr = args.buf })
      else
        clients[config.root_dir] = clients[config.root_dir] or vim.lsp.start_client(config)
        vim.lsp.buf_attach_client(args.buf, clients[config.root_dir])
      end
    end,
  })
end
