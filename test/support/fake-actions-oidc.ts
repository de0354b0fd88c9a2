// A local fake of GitHub Actions' OIDC token service, the one a job reaches through ACTIONS_ID_TOKEN_REQUEST_URL
// and ACTIONS_ID_TOKEN_REQUEST_TOKEN (actions/toolkit packages/core/src/oidc-utils.ts: GET <url>&audience=<aud>
// with `Authorization: Bearer <request token>`, answer {"value": "<jwt>"}). It answers with the token `mint`
// makes for the audience asked, and 401 for a wrong bearer.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeActionsOidc {
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  requests: Array<{ audience: string | null; authorized: boolean }>;
  close(): Promise<void>;
}

export async function startFakeActionsOidc(mint: (audience: string) => string): Promise<FakeActionsOidc> {
  const requestToken = 'request-token-of-the-job';
  const requests: FakeActionsOidc['requests'] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorized = req.headers.authorization === `Bearer ${requestToken}`;
    const audience = url.searchParams.get('audience');
    requests.push({ audience, authorized });
    res.setHeader('content-type', 'application/json');
    if (!authorized) return void res.writeHead(401).end(JSON.stringify({ message: 'Unauthorized' }));
    res.end(JSON.stringify({ count: 1, value: mint(audience ?? 'https://github.com/contoso') }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/_apis/distributedtask/hubs/build/plans/1/jobs/1/idtoken?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    },
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
