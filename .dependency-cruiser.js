// `npm run lint:cycles`: fails on any circular import, and on imports that point
// the wrong way (zk-protocol <- zk-client <- ... <- nestjs <- apps; see docs/design.md).
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'libs-not-from-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'protocol-is-pure',
      comment: 'The codec never touches a socket or a higher layer.',
      severity: 'error',
      from: { path: '^libs/zk-protocol/' },
      to: { path: '(^libs/(?!zk-protocol/))|^(net|tls|dgram)$' },
    },
    {
      name: 'client-and-server-apart',
      comment: 'The client and the server share only the protocol.',
      severity: 'error',
      from: { path: '^libs/(zk-client|zk-server)/src/' },
      to: { path: '^libs/(zk-client|zk-server|coordination|taskqueue)/', pathNot: '^libs/$1/' },
    },
    {
      name: 'coordination-below-taskqueue',
      comment: 'Recipes know nothing of tasks; the task queue builds on the recipes.',
      severity: 'error',
      from: { path: '^libs/coordination/src/' },
      to: { path: '^libs/taskqueue/' },
    },
    {
      name: 'core-without-nest',
      comment: 'Nest stays out of the core packages: @shepherd/nestjs is the only lib that knows it.',
      severity: 'error',
      from: { path: '^libs/(zk-protocol|zk-client|zk-server|coordination|taskqueue)/src/' },
      to: { path: '@nestjs/' },
    },
    {
      name: 'libs-src-not-from-tests',
      comment: 'Library code never imports test helpers.',
      severity: 'error',
      from: { path: '^libs/[^/]+/src/' },
      to: { path: '(^test/)|(^libs/[^/]+/test/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    // node_modules stay as dependencies (the Nest rule needs them), only not followed.
    exclude: { path: '(^|/)dist/' },
  },
};
