// `npm run lint:cycles`: fails on any circular import, and on imports that point
// the wrong way (see DESIGN.md: zk-protocol <- zk-client <- ... <- apps).
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
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
