// The preload: exposes the typed bridge (window.sightline) and nothing else.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { IPC_CALL, IPC_CANCEL, IPC_PICK_FILE, IPC_PROGRESS, IPC_SAVE_PATH, type FileKind, type PreloadBridge } from '../api/transport';
import type { Progress } from '../api/schemas';

const bridge: PreloadBridge = {
  call: (name, input, callId) => ipcRenderer.invoke(IPC_CALL, { name, input, callId }),
  cancel: (callId) => ipcRenderer.send(IPC_CANCEL, callId),
  onProgress: (listener) => {
    const handler = (_event: Electron.IpcRendererEvent, callId: string, progress: Progress) => listener(callId, progress);
    ipcRenderer.on(IPC_PROGRESS, handler);
    return () => ipcRenderer.removeListener(IPC_PROGRESS, handler);
  },
  pickFile: (kind: FileKind) => ipcRenderer.invoke(IPC_PICK_FILE, kind),
  pickSavePath: (defaultName: string) => ipcRenderer.invoke(IPC_SAVE_PATH, defaultName),
  // Electron ≥ 32 no longer puts a path on File objects; drag-and-drop needs this.
  pathForFile: (file: File) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('sightline', bridge);
