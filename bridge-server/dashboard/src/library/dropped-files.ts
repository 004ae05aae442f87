/** A file picked or dropped, with its path inside a dropped or chosen folder ('' for a loose file). */
export interface PickedFile {
  file: File;
  folder: string;
}

/** The minimal File and Directory Entries API a drop gives (DOM typings name them FileSystem*Entry). */
interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  fullPath: string;
  file?(success: (file: File) => void, failure: (error: unknown) => void): void;
  createReader?(): { readEntries(success: (entries: Entry[]) => void, failure: (error: unknown) => void): void };
}

async function walk(entry: Entry, out: PickedFile[]): Promise<void> {
  if (entry.isFile && entry.file) {
    const file = await new Promise<File>((resolve, reject) => entry.file!(resolve, reject));
    const folder = entry.fullPath.split('/').slice(1, -1).join('/');
    out.push({ file, folder });
    return;
  }
  if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries answers in batches (100 in Chromium) until it answers an empty one.
    for (;;) {
      const batch = await new Promise<Entry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) return;
      for (const child of batch) await walk(child, out);
    }
  }
}

/**
 * Every file of a drop, walking dropped folders. The browser has no library-level API for
 * folder drops other than this entries walk, so it is written here.
 */
export async function filesOfDrop(data: DataTransfer): Promise<PickedFile[]> {
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => (item as DataTransferItem & { webkitGetAsEntry?(): Entry | null }).webkitGetAsEntry?.() ?? null);
  if (entries.every((e) => e === null)) return [...data.files].map((file) => ({ file, folder: '' }));
  const out: PickedFile[] = [];
  for (const entry of entries) if (entry) await walk(entry, out);
  return out;
}

/** Files of an `<input type="file">`, with their folder when a folder was chosen (webkitdirectory). */
export function filesOfInput(list: FileList): PickedFile[] {
  return [...list].map((file) => {
    const relative = (file as File & { webkitRelativePath?: string }).webkitRelativePath ?? '';
    return { file, folder: relative.split('/').slice(0, -1).join('/') };
  });
}
