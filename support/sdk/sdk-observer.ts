// setupFile of the contract projects: every DOC check's POST to a pipeline also shows what a user of
// the official SDK would get from the same answer (support/sdk/sdk.ts), in the report and in the
// failure message. It uses the captured response only, so it works alike in replay, live and
// record, adds no request, and never changes the DOC outcome.
import { addObserver } from '../verdict/check.ts';
import { sdkView } from './sdk.ts';
import { describeSdkOutcome, SDK_LABEL } from '../schemas/sdk-outcome.ts';

addObserver('sdk', async (exchange, check) => {
  // The SDK only ever POSTs; a GET or HEAD answer is nothing an SDK caller can meet.
  if (!check.pipeline || exchange.request.method !== 'POST') return undefined;
  try {
    return describeSdkOutcome(await sdkView(exchange, check.pipeline));
  } catch (err) {
    return `SDK (${SDK_LABEL}) view: could not be computed (${(err as Error).message})`;
  }
});
