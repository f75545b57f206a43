// "Export PDF report" for the open case: in Electron a save dialog picks the path and the engine
// writes the PDF there; in a browser the host returns the PDF's bytes and the page downloads them.
// Either way the engine records the export in the case's audit trail.
import { useState } from 'react';
import type { CaseDetail } from '../../../api/case-schemas';
import { client } from '../api';
import { useBusyCall } from '../hooks/useBusyCall';

/** Hands base64 PDF bytes to the browser as a file download. */
function downloadPdf(base64: string, fileName: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started from the click; the object URL can go once the event loop turns.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function ReportExport({ detail, actor, onError }: { detail: CaseDetail; actor: string | undefined; onError: (message: string) => void }) {
  const { busy, run } = useBusyCall(onError);
  const [status, setStatus] = useState<string | null>(null);
  const caseId = detail.summary.id;

  const exportReport = async () => {
    setStatus(null);
    await run('The report was not exported', async () => {
      if (client.pickSavePath) {
        const path = await client.pickSavePath(`${detail.summary.pseudonym}-report.pdf`);
        if (!path) return;
        const report = await client.api.caseReport({ caseId, out: path, actor });
        setStatus(`Saved ${report.pages}-page report to ${report.path}`);
      } else {
        const report = await client.api.caseReport({ caseId, actor });
        if (!report.pdfBase64) throw new Error('The host returned no PDF');
        downloadPdf(report.pdfBase64, report.fileName);
        setStatus(`Downloaded ${report.fileName} (${report.pages} pages)`);
      }
    });
  };

  return (
    <div className="report-export">
      <button type="button" className="button" data-testid="case-report-export" disabled={busy} onClick={() => void exportReport()} title="A PDF of this case: image, explanations, verdict and signature">
        {busy ? 'Exporting…' : 'Export PDF report'}
      </button>
      {status && (
        <p className="small muted" data-testid="case-report-status">
          {status}
        </p>
      )}
    </div>
  );
}
