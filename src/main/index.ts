// Electron main: one window, the engine in a worker thread, IPC as thin adapters onto the api.
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, shell } from 'electron';
import { WorkerEngine } from '../core/jobs/worker-engine';
import { IPC_CALL, IPC_CANCEL, IPC_PICK_FILE, IPC_PROGRESS, IPC_SAVE_PATH, type FileKind } from '../api/transport';
import { createIpcHandlers } from './ipc-handlers';

// The case database lives in the engine worker, in the per-user userData folder; better-sqlite3
// there must be built for Electron's ABI (electron-builder rebuilds it: npmRebuild).
// The demonstration (resources/demo) ships beside the app when packaged (extraResources).
const demoDir = app.isPackaged ? join(process.resourcesPath, 'demo') : join(app.getAppPath(), 'resources', 'demo');
const engine = new WorkerEngine({ transport: 'ipc', entry: join(__dirname, 'engine-worker.js'), dataDir: process.env.SIGHTLINE_DATA_DIR ?? app.getPath('userData'), demoDir });
const handlers = createIpcHandlers(engine.api);
// Seed and open the demonstration while the window loads (the UI asks for the same result).
engine.api.startup({}).catch((error: unknown) => console.error(`The demonstration could not be prepared: ${(error as Error).message}`));

const FILTERS: Record<FileKind, Electron.FileFilter[]> = {
  model: [{ name: 'ONNX model', extensions: ['onnx'] }],
  image: [
    { name: 'Images and tensors', extensions: ['png', 'jpg', 'jpeg', 'npy', 'dcm'] },
    { name: 'All files', extensions: ['*'] },
  ],
};

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'Sightline',
    backgroundColor: '#15181c',
    webPreferences: { preload: join(__dirname, '../preload/index.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  // Links open in the system browser, never inside the app.
  window.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(join(__dirname, '../renderer/index.html'));
}

ipcMain.handle(IPC_CALL, (event, request: { name: string; input: unknown; callId: string }) =>
  handlers.call(request, (callId, progress) => {
    if (!event.sender.isDestroyed()) event.sender.send(IPC_PROGRESS, callId, progress);
  }),
);
ipcMain.on(IPC_CANCEL, (_event, callId: string) => handlers.cancel(callId));
ipcMain.handle(IPC_PICK_FILE, async (event, kind: FileKind) => {
  const window = BrowserWindow.fromWebContents(event.sender);
  const options: Electron.OpenDialogOptions = { properties: ['openFile'], filters: FILTERS[kind] ?? [] };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
});
// Where to save a PDF report: the engine writes it there (the sandboxed renderer cannot).
ipcMain.handle(IPC_SAVE_PATH, async (event, defaultName: string) => {
  const window = BrowserWindow.fromWebContents(event.sender);
  const options: Electron.SaveDialogOptions = { defaultPath: join(app.getPath('documents'), defaultName), filters: [{ name: 'PDF report', extensions: ['pdf'] }] };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled ? null : (result.filePath ?? null);
});

void app.whenReady().then(() => {
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  void engine.close().finally(() => {
    if (process.platform !== 'darwin') app.quit();
  });
});
