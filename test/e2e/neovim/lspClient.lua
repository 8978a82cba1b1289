-- Neovim's built-in LSP client (0.7 API) as a second, independent client of `nanlint server --stdio`:
-- opens a file, waits for the server's diagnostics, asks for the quick fixes of one diagnostic, applies the
-- one with the given title through Neovim's own workspace-edit code, waits for the server to re-lint, and writes what
-- happened as JSON for test/e2e/neovim.mjs to check.
-- Input (environment): NANLINT_SERVER_CMD (JSON array), NANLINT_FILE, NANLINT_CODE (the diagnostic to fix),
-- NANLINT_ACTION (the title of the quick fix to apply), NANLINT_RESULT (where to write the JSON).

local server_cmd = vim.fn.json_decode(os.getenv('NANLINT_SERVER_CMD'))
local file = os.getenv('NANLINT_FILE')
local wanted_code = os.getenv('NANLINT_CODE')
local wanted_action = os.getenv('NANLINT_ACTION')
local result_path = os.getenv('NANLINT_RESULT')
local TIMEOUT_MS = 30000

local result = { log = {} }

local function write_result()
  local out = io.open(result_path, 'w')
  out:write(vim.fn.json_encode(result))
  out:close()
end

local function note(message)
  table.insert(result.log, string.format('%.0f ms %s', vim.loop.hrtime() / 1e6, message))
end

local function diagnostics_of(bufnr, client_id)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = vim.lsp.diagnostic.get_namespace(client_id) })) do
    table.insert(list, { line = d.lnum + 1, column = d.col + 1, code = d.code, source = d.source, message = d.message })
  end
  return list
end

local publishes = 0

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  local started = vim.loop.hrtime()
  local client_id = vim.lsp.start_client({
    name = 'nanlint',
    cmd = server_cmd,
    root_dir = vim.fn.fnamemodify(file, ':p:h'),
    flags = { debounce_text_changes = 0 },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(...)
        publishes = publishes + 1
        return vim.lsp.handlers['textDocument/publishDiagnostics'](...)
      end,
    },
  })
  assert(client_id, 'vim.lsp.start_client did not start the server')
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  local got = vim.wait(TIMEOUT_MS, function() return #diagnostics_of(bufnr, client_id) > 0 end, 20)
  assert(got, 'no diagnostics arrived within ' .. TIMEOUT_MS .. ' ms')
  result.firstDiagnosticsMs = (vim.loop.hrtime() - started) / 1e6
  result.before = diagnostics_of(bufnr, client_id)
  result.textBefore = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  note('diagnostics received')

  local target
  for _, d in ipairs(vim.diagnostic.get(bufnr, { namespace = vim.lsp.diagnostic.get_namespace(client_id) })) do
    if d.code == wanted_code then target = d break end
  end
  assert(target, 'no ' .. wanted_code .. ' diagnostic in ' .. vim.fn.json_encode(result.before))
  result.target = { line = target.lnum + 1, code = target.code }

  -- The request vim.lsp.buf.code_action() sends with the cursor on the diagnostic.
  vim.api.nvim_win_set_cursor(0, { target.lnum + 1, target.col })
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(bufnr, target.lnum, {}, client_id) }
  local response = client.request_sync('textDocument/codeAction', params, TIMEOUT_MS, bufnr)
  assert(response and not response.err, 'codeAction failed: ' .. vim.inspect(response))
  local actions = response.result or {}
  result.actions = {}
  for _, action in ipairs(actions) do table.insert(result.actions, action.title) end
  local action
  for _, offered in ipairs(actions) do
    if offered.title == wanted_action then action = offered break end
  end
  assert(action, 'no quick fix titled ' .. wanted_action .. ' among ' .. vim.fn.json_encode(result.actions))
  if not action.edit and not action.command then
    local resolved = client.request_sync('codeAction/resolve', action, TIMEOUT_MS, bufnr)
    assert(resolved and not resolved.err, 'codeAction/resolve failed: ' .. vim.inspect(resolved))
    action = resolved.result
  end
  result.applied = action.title
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
  if action.command then
    local command = type(action.command) == 'table' and action.command or action
    local executed = client.request_sync('workspace/executeCommand', command, TIMEOUT_MS, bufnr)
    assert(executed and not executed.err, 'executeCommand failed: ' .. vim.inspect(executed))
  end
  result.textAfter = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n')
  note('code action applied')
  local publishes_before_fix = publishes

  local target_line = result.target.line
  local cleared = vim.wait(TIMEOUT_MS, function()
    if publishes == publishes_before_fix then return false end
    for _, d in ipairs(diagnostics_of(bufnr, client_id)) do
      if d.code == wanted_code and d.line == target_line then return false end
    end
    return true
  end, 20)
  assert(cleared, wanted_code .. ' was still reported on line ' .. target_line .. ' after the fix')
  result.after = diagnostics_of(bufnr, client_id)
  note('re-linted')

  client.stop()
  vim.wait(5000, function() return client.is_stopped() end, 20)
end

local ok, err = pcall(run)
if not ok then result.error = tostring(err) end
write_result()
vim.cmd('qall!')
