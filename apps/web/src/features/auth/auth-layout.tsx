import type { ReactNode } from "react";
import { Card } from "../../components/ui/card";
import { currentHost } from "../../lib/host";

/** The frame of the signed-out screens: the product name, which tenant this is, one card. */
export function AuthLayout({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <p className="mb-6 text-center text-sm font-semibold tracking-wide text-brand">
          Switchboard
          {currentHost.tenantSlug && <span className="text-slate-500"> · {currentHost.tenantSlug}</span>}
        </p>
        <Card>
          <h1 className="mb-5 text-xl font-semibold text-slate-900">{title}</h1>
          {children}
        </Card>
        {footer && <div className="mt-4 text-center text-sm text-slate-600">{footer}</div>}
      </div>
    </main>
  );
}
