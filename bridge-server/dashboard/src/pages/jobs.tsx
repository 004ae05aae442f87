import { METHOD_NAMES } from '@stockroom/shared-types';
import { NotAvailable } from '../ui/feedback.tsx';
import { Page } from '../ui/page.tsx';

/**
 * Jobs (running, queued, failed with the reason; retry) need `jobs.list` and
 * `jobs.retry` in the protocol contract. Until they are there the page says so;
 * the overview shows the queue's counts as soon as the queue exists.
 */
export function JobsPage() {
  const inContract = (METHOD_NAMES as string[]).includes('jobs.list');
  return (
    <Page title="Jobs">
      <NotAvailable feature="The job list">
        {inContract
          ? 'This dashboard version cannot show jobs yet; update the dashboard.'
          : 'The derivative jobs (thumbnails, proxies, metadata) are not available on this server yet. The overview shows the queue’s counts once the queue runs.'}
      </NotAvailable>
    </Page>
  );
}
