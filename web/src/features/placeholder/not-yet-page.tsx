import { Empty } from '../../components/states.tsx';

/** Sections whose data sources are not connected yet say so plainly instead of showing fake data. */
export function NotYetPage({ title, what }: { title: string; what: string }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" className="mb-4 text-xl font-semibold">
        {title}
      </h1>
      <Empty title={`${title} are not connected yet`}>{what}</Empty>
    </section>
  );
}
