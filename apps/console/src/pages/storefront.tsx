import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { describeError, text, type OrderView, type Product, type Shipping } from '../api/client';
import { addressLines, money } from '../format';
import { useSession } from '../session';

/**
 * The shop: the catalog with price and availability, a cart, checkout, and
 * the confirmation with the order number and its tracking link. The order
 * goes out as POST /api/v1/orders with an Idempotency-Key fixed per checkout,
 * so a double click or a retry after a lost answer places it once.
 *
 * The customer is identified by the e-mail address (lower-cased, as
 * customerId); name, e-mail and address go with the order as its `shipping`,
 * so the confirmation and the tracking page show them from the order itself.
 */
type CartLines = Record<string, number>;

export function StorefrontPage() {
  const { api } = useSession();
  const [products, setProducts] = useState<Product[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [cart, setCart] = useState<CartLines>({});
  const [placed, setPlaced] = useState<OrderView | null>(null);

  useEffect(() => {
    let current = true;
    loadCatalog()
      .then((items) => current && setProducts(items))
      .catch((error: Error) => current && setLoadError(error.message));
    return () => {
      current = false;
    };
    async function loadCatalog(): Promise<Product[]> {
      const items: Product[] = [];
      for (let after: string | undefined; ; ) {
        const { data, error, response } = await api.GET('/api/v1/products', { params: { query: { limit: 100, after } } });
        if (!data) throw new Error(`The catalog could not be loaded: ${describeError(error, response.status)}`);
        items.push(...data.items);
        const next = text(data.nextCursor);
        if (!next) return items;
        after = next;
      }
    }
  }, [api]);

  const bySku = useMemo(() => new Map((products ?? []).map((p) => [p.sku, p])), [products]);
  const setQuantity = (sku: string, quantity: number): void =>
    setCart((lines) => {
      const next = { ...lines };
      if (quantity > 0) next[sku] = quantity;
      else delete next[sku];
      return next;
    });

  if (placed) return <Confirmation order={placed} onContinue={() => setPlaced(null)} />;
  return (
    <div className="storefront">
      <section aria-labelledby="catalog-heading" className="catalog">
        <h1 id="catalog-heading">Shop</h1>
        {loadError && <p className="error" role="alert">{loadError}</p>}
        {!products && !loadError && <p role="status">Loading the catalog…</p>}
        <ul className="product-grid">
          {(products ?? []).map((product) => (
            <li key={product.sku} className="card product">
              <h2>{product.name}</h2>
              <p className="sku">{product.sku}</p>
              <p className="price">{money(product.priceCents, product.currency)}</p>
              <Availability product={product} />
              <button
                type="button"
                disabled={product.available <= (cart[product.sku] ?? 0)}
                onClick={() => setQuantity(product.sku, (cart[product.sku] ?? 0) + 1)}
                aria-label={`Add to cart: ${product.name}`}
              >
                Add to cart
              </button>
            </li>
          ))}
        </ul>
      </section>
      <Cart cart={cart} bySku={bySku} setQuantity={setQuantity} onPlaced={(result) => { setCart({}); setPlaced(result); }} />
    </div>
  );
}

function Availability({ product }: { product: Product }) {
  if (product.available <= 0) return <p className="stock out">Sold out</p>;
  if (product.lowStock) return <p className="stock low">Only {product.available} left</p>;
  return <p className="stock">{product.available} in stock</p>;
}

function Cart({
  cart,
  bySku,
  setQuantity,
  onPlaced,
}: {
  cart: CartLines;
  bySku: Map<string, Product>;
  setQuantity: (sku: string, quantity: number) => void;
  onPlaced: (order: OrderView) => void;
}) {
  const { api } = useSession();
  const ids = { name: useId(), email: useId(), line1: useId(), line2: useId(), postalCode: useId(), city: useId(), country: useId() };
  const [form, setForm] = useState({ name: '', email: '', line1: '', line2: '', postalCode: '', city: '', country: '' });
  /** One text field of the form, bound to its value; the limits are the API's (shippingRequest). */
  const field = (name: keyof typeof form, props: { autoComplete: string; maxLength: number; required?: boolean; type?: string; pattern?: string; title?: string }) => (
    <input id={ids[name]} required={props.required ?? true} {...props} value={form[name]} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
  );
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const lines = Object.entries(cart).flatMap(([sku, quantity]) => {
    const product = bySku.get(sku);
    return product ? [{ product, quantity }] : [];
  });
  const currency = lines[0]?.product.currency ?? 'EUR';
  const total = lines.reduce((sum, line) => sum + line.quantity * line.product.priceCents, 0);

  const checkout = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setSubmitting(true);
    setError(null);
    try {
      const { data, error: refused, response } = await api.POST('/api/v1/orders', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: {
          customerId: form.email.trim().toLowerCase(),
          currency,
          lines: lines.map(({ product, quantity }) => ({ sku: product.sku, quantity, unitPriceCents: product.priceCents })),
          shipping: shippingOf(form),
        },
      });
      if (!data) {
        setError(`The order was not placed: ${describeError(refused, response.status)}`);
        return;
      }
      setIdempotencyKey(crypto.randomUUID());
      onPlaced(data);
    } catch {
      setError('The order was not placed: the API could not be reached. Try again (it will not be placed twice).');
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <section aria-labelledby="cart-heading" className="card cart">
      <h2 id="cart-heading">Cart</h2>
      {lines.length === 0 ? (
        <p>Your cart is empty.</p>
      ) : (
        <>
          <ul className="cart-lines">
            {lines.map(({ product, quantity }) => (
              <li key={product.sku}>
                <span className="cart-name">{product.name}</span>
                <label className="quantity">
                  <span className="visually-hidden">Quantity of {product.name}</span>
                  <input
                    type="number"
                    min={0}
                    max={product.available}
                    value={quantity}
                    onChange={(e) => setQuantity(product.sku, Math.min(product.available, Math.max(0, Number(e.target.value) || 0)))}
                  />
                </label>
                <span className="cart-total">{money(quantity * product.priceCents, product.currency)}</span>
              </li>
            ))}
          </ul>
          <p className="total">
            Total <strong>{money(total, currency)}</strong>
          </p>
          <form onSubmit={(e) => void checkout(e)} className="checkout" aria-label="Checkout">
            <h3>Checkout</h3>
            <label htmlFor={ids.name}>Name</label>
            {field('name', { autoComplete: 'name', maxLength: 100 })}
            <label htmlFor={ids.email}>E-mail</label>
            {field('email', { type: 'email', autoComplete: 'email', maxLength: 64 })}
            <fieldset>
              <legend>Shipping address</legend>
              <label htmlFor={ids.line1}>Street and number</label>
              {field('line1', { autoComplete: 'address-line1', maxLength: 100 })}
              <label htmlFor={ids.line2}>Apartment, floor (optional)</label>
              {field('line2', { autoComplete: 'address-line2', maxLength: 100, required: false })}
              <label htmlFor={ids.postalCode}>Postal code</label>
              {field('postalCode', { autoComplete: 'postal-code', maxLength: 16, pattern: '[A-Za-z0-9]([A-Za-z0-9 \\-]*[A-Za-z0-9])?', title: 'Letters, digits, spaces and -' })}
              <label htmlFor={ids.city}>City</label>
              {field('city', { autoComplete: 'address-level2', maxLength: 100 })}
              <label htmlFor={ids.country}>Country code</label>
              {field('country', { autoComplete: 'country', maxLength: 2, pattern: '[A-Za-z]{2}', title: 'Two letters, as in NL or IE (ISO 3166-1)' })}
            </fieldset>
            {error && <p className="error" role="alert">{error}</p>}
            <button type="submit" disabled={submitting}>
              {submitting ? 'Placing the order…' : 'Place order'}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/** The order's shipping as the API takes it: trimmed, the country in capitals, the optional second line left out when empty. */
function shippingOf(form: { name: string; email: string; line1: string; line2: string; postalCode: string; city: string; country: string }): Shipping {
  const line2 = form.line2.trim();
  return {
    name: form.name.trim(),
    email: form.email.trim(),
    address: {
      line1: form.line1.trim(),
      ...(line2 ? { line2 } : {}),
      city: form.city.trim(),
      postalCode: form.postalCode.trim(),
      country: form.country.trim().toUpperCase(),
    },
  };
}

function Confirmation({ order, onContinue }: { order: OrderView; onContinue: () => void }) {
  const shipping = order.shipping ?? null;
  return (
    <section className="card confirmation" aria-labelledby="confirmation-heading">
      <h1 id="confirmation-heading">Thank you{shipping ? `, ${shipping.name}` : ''}</h1>
      <p>
        Your order number is <strong data-testid="order-number">{order.id}</strong>.
      </p>
      <p>
        Total {money(order.totalCents, order.currency)}
        {shipping ? `, shipping to ${addressLines(shipping.address).join(', ')}` : ''}.
      </p>
      <p>
        <Link to={`/orders/${order.id}`}>Track your order</Link>
      </p>
      <button type="button" className="secondary" onClick={onContinue}>
        Continue shopping
      </button>
    </section>
  );
}
