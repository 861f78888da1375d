/** `FAIL  <check>` lines and the indented problem lines under them, as the demo prints its checks. */
export function failedChecksIn(output: string): string[] {
  const lines = output.split('\n').map((line) => line.replace(/^\[\s*[\d.]+s\]\s?/, ''));
  const failed: string[] = [];
  lines.forEach((line, index) => {
    if (!line.startsWith('FAIL ')) return;
    const problems = [];
    for (let next = index + 1; next < lines.length && /^\s{4,}\S/.test(lines[next]!); next++) problems.push(lines[next]!.trim());
    failed.push([line.replace(/^FAIL\s+/, ''), ...problems.slice(0, 3).map((p) => `  ${p}`)].join('\n'));
  });
  return failed;
}
